#!/usr/bin/env bash
# The image's own files, written under $1 for Jib to add on top of an empty base (no registry is needed to build):
# a Java runtime made by jlink from the building JDK with the modules the application uses, the C libraries that
# runtime loads (copied from this machine, as ldd resolves them), a /tmp, and the passwd entry of the user it runs as.
set -euo pipefail
root=$1
rm -rf "$root"
mkdir -p "$root/opt" "$root/tmp" "$root/etc"
jlink --add-modules java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,\
java.net.http,java.prefs,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,\
java.xml.crypto,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.localedata,jdk.management,jdk.naming.dns,jdk.net,\
jdk.unsupported,jdk.zipfs \
  --strip-debug --no-header-files --no-man-pages --output "$root/opt/java"
# every shared library the runtime's binaries and libraries need, and the name service modules glibc loads at run time
# (not those of the desktop's windows, fonts, sound and images: a server never loads them)
libs=$( (find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -not -name 'libawt_xawt.so' \
  -not -name 'libfontmanager.so' -not -name 'libsplashscreen.so' -not -name 'libjsound.so' -not -name 'liblcms.so' \
  -not -name 'libjavajpeg.so' -exec ldd {} \; 2>/dev/null || true) \
  | awk '/=> \// {print $3} /^\t\/.*ld-linux/ {print $1}' | sort -u)
nss=$(ls /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libnss_dns.so.2 \
  /lib/x86_64-linux-gnu/libresolv.so.2 2>/dev/null || true)
for lib in $libs $nss; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
# the dynamic loader where binaries look for it, whatever path ldd printed
loader=$(ls /lib64/ld-linux-x86-64.so.2 2>/dev/null || true)
if [ -n "$loader" ]; then
  mkdir -p "$root/lib64"
  cp -L "$loader" "$root/lib64/"
fi
printf 'root:x:0:0::/root:/sbin/nologin\nledger:x:10001:10001::/tmp:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\nledger:x:10001:\n' >"$root/etc/group"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' >"$root/etc/hosts"
