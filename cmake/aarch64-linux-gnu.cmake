# Cross-building the kit for aarch64 with Debian's cross gcc; unit tests run under qemu-user.
# Needs: gcc-aarch64-linux-gnu qemu-user, and (after dpkg --add-architecture arm64)
# libcjson-dev:arm64 libxml2-dev:arm64 libcmocka-dev:arm64.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/aarch64-linux-gnu)
# The build machine's own libraries (libxml2.so, libcjson.so) share
# /usr/lib with the arm64 ones: keep find_package off them.
set(CMAKE_IGNORE_PATH /usr/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/cmake)
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
