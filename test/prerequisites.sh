#!/usr/bin/env bash
# Installs what leakwatch's test suite needs beyond Node, on Debian 12/13, Ubuntu 24.04 or Raspberry
# Pi OS: the same list CI uses (.ci/run calls this). Asks for sudo when not root; does nothing when
# everything is there. Tools the tests drive for real: Mosquitto (MQTT), tcpdump and libpcap
# (capture), nftables, dnsmasq, iproute2 and busybox's DHCP client (the network lab), Chromium and
# NSS's certutil (the phone's browser), NetworkManager, D-Bus, systemd-analyze, shellcheck and
# qrencode (the Pi installer's checks), and a compiler for native addons.
# -e -u -o pipefail: a failed install stops here, before any test runs on a half-installed machine.
set -euo pipefail

PACKAGES=(ca-certificates git python3 make g++ curl openssl iproute2 nftables dnsmasq-base busybox mosquitto libpcap-dev tcpdump libnss3-tools
	network-manager dbus-daemon systemd shellcheck qrencode util-linux)

# Debian and Raspberry Pi OS ship Chromium as `chromium`; Ubuntu only as a snap, which cannot run
# inside the lab's network namespaces.
if [[ -r /etc/os-release ]] && grep -q '^ID=ubuntu' /etc/os-release; then
	echo "prerequisites.sh: Ubuntu ships Chromium only as a snap; the browser tests need a non-snap Chromium at /usr/bin/chromium (e.g. from Debian's or the xtradeb PPA's package)." >&2
	if [[ ! -x /usr/bin/chromium ]]; then
		echo "prerequisites.sh: no /usr/bin/chromium: install one, then run this again." >&2
		exit 1
	fi
else
	PACKAGES+=(chromium)
fi

if ! command -v dpkg >/dev/null || ! command -v apt-get >/dev/null; then
	echo "prerequisites.sh: this installs with apt-get (Debian, Ubuntu, Raspberry Pi OS); install these yourself: ${PACKAGES[*]}" >&2
	exit 1
fi

missing=()
for package in "${PACKAGES[@]}"; do
	dpkg -s "${package}" >/dev/null 2>&1 || missing+=("${package}")
done
if ((${#missing[@]} == 0)); then
	echo "prerequisites.sh: everything the tests need is installed"
	exit 0
fi

as_root=()
if [[ ${EUID} -ne 0 ]]; then
	command -v sudo >/dev/null || { echo "prerequisites.sh: run as root, or install sudo, to install: ${missing[*]}" >&2; exit 1; }
	as_root=(sudo)
fi
echo "prerequisites.sh: installing ${missing[*]}"
# The tests run NetworkManager in a namespace of their own; installing it must not hand this
# machine's network to it. policy-rc.d stops Debian from starting services while it installs.
installing_nm=0
[[ " ${missing[*]} " == *" network-manager "* ]] && installing_nm=1
policy=/usr/sbin/policy-rc.d
own_policy=0
if ((installing_nm)) && [[ ! -e ${policy} ]]; then
	"${as_root[@]}" sh -c "printf '#!/bin/sh\nexit 101\n' > ${policy} && chmod 755 ${policy}"
	own_policy=1
	trap '"${as_root[@]}" rm -f "${policy}"' EXIT
fi
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
if ((own_policy)); then
	"${as_root[@]}" rm -f "${policy}"
	trap - EXIT
fi
if ((installing_nm)) && [[ -d /run/systemd/system ]]; then
	# Not at the next boot either: this machine keeps the network setup it had.
	"${as_root[@]}" systemctl disable --quiet NetworkManager.service NetworkManager-wait-online.service 2>/dev/null || true
	echo "prerequisites.sh: installed NetworkManager for the tests, but left it disabled"
fi
