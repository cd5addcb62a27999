#!/usr/bin/env bash
# Builds the Docker sandbox's root filesystem offline: a Debian bookworm minbase from the Debian
# mirror apt already uses (no container registry needed), with strace, python3, make, g++ and curl (hooks commonly run it),
# plus the host's own Node.js (binary, npm with node-gyp, headers) at the same paths, so a hook
# builds native code against the same ABI as the host. The same image as sandbox/Dockerfile.
#
#   sandbox/build-rootfs.sh ROOTFS_DIR
#
# Needs root and debootstrap. hookbox imports the result as an image (src/sandbox/docker/image.ts).
set -euo pipefail
rootfs="$1"
mirror="${HOOKBOX_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
node_bin="$(command -v node)"
node_prefix="$(cd "$(dirname "$node_bin")/.." && pwd)"

rm -rf "$rootfs.partial"
debootstrap --variant=minbase --include=strace,python3,make,g++,curl bookworm "$rootfs.partial" "$mirror" >&2

# The host's node, its npm (node-gyp lives there) and its headers, at the same paths.
install -D -m 0755 "$node_bin" "$rootfs.partial$node_bin"
mkdir -p "$rootfs.partial$node_prefix/lib" "$rootfs.partial$node_prefix/include"
cp -a "$node_prefix/lib/node_modules" "$rootfs.partial$node_prefix/lib/"
[ -d "$node_prefix/include/node" ] && cp -a "$node_prefix/include/node" "$rootfs.partial$node_prefix/include/"

# The unprivileged user hooks run as, like the bwrap sandbox's uid 1000.
echo 'hookbox:x:1000:1000:hookbox:/home/hookbox:/bin/sh' >> "$rootfs.partial/etc/passwd"
echo 'hookbox:x:1000:' >> "$rootfs.partial/etc/group"
install -d -m 0700 -o 1000 -g 1000 "$rootfs.partial/home/hookbox"
install -d -m 0700 -o 1000 -g 1000 "$rootfs.partial/hookbox"
chmod 1777 "$rootfs.partial/tmp"

# The launcher strace starts (see the file).
install -m 0755 "$(dirname "$0")/hookbox-launch" "$rootfs.partial/usr/local/bin/hookbox-launch"

# Nothing a hook should find: apt's lists and caches, docs.
rm -rf "$rootfs.partial"/var/lib/apt/lists/* "$rootfs.partial"/var/cache/apt/* "$rootfs.partial"/usr/share/doc/* "$rootfs.partial"/usr/share/man/*
rm -rf "$rootfs" && mv "$rootfs.partial" "$rootfs"
