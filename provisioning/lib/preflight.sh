#!/usr/bin/env bash
# Preflight: everything checked before anything changes, each failure with its reason and fix.
# Under --dry-run the machine checks only warn (a laptop or CI renders files for a Pi it is not).
# Sourced by provisioning/install.sh.

# A machine check failed: fatal for a real install, a warning for --dry-run.
machine_problem() {
	if ((DRY_RUN)); then
		warn "$1 (fix on the Pi: $2)"
	else
		die "$1" "$2"
	fi
}

check_os() {
	local id="" codename="" arch
	if [[ -r /etc/os-release ]]; then
		id="$(. /etc/os-release && printf '%s' "${ID:-}")"
		codename="$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")"
	fi
	arch="$(uname -m)"
	case "${id}:${codename}" in
	raspbian:bookworm | raspbian:trixie | debian:bookworm | debian:trixie) ok "${id} ${codename}" ;;
	ubuntu:*) warn "Ubuntu ${codename} is not tested; Raspberry Pi OS (Trixie or Bookworm) is" ;;
	*) machine_problem "this is ${id:-an unknown system} ${codename}, not Raspberry Pi OS or Debian Trixie/Bookworm" "flash Raspberry Pi OS (64-bit) Trixie with Raspberry Pi Imager" ;;
	esac
	case "${arch}" in
	aarch64) ok "64-bit ARM (${arch})" ;;
	x86_64) warn "x86_64: fine for a lab machine; the appliance is meant for a Raspberry Pi" ;;
	*) machine_problem "${arch} is a 32-bit system; leakwatch needs a 64-bit OS (Node 24 and its native modules)" "flash the 64-bit Raspberry Pi OS (Pi 3B+, 4, 5 and Zero 2 W all run it)" ;;
	esac
}

check_network_manager() {
	if systemctl is-active --quiet NetworkManager 2>/dev/null; then
		ok "NetworkManager runs the network"
	elif systemctl is-active --quiet dhcpcd 2>/dev/null; then
		machine_problem "dhcpcd runs the network, not NetworkManager (an old, pre-Bookworm setup)" "sudo raspi-config → Advanced Options → Network Config → NetworkManager, reboot, then run this again"
	else
		machine_problem "NetworkManager is not running" "sudo apt-get install network-manager && sudo systemctl enable --now NetworkManager"
	fi
	if compgen -G "/etc/netplan/*.yaml" >/dev/null; then
		info "netplan is present: NetworkManager also keeps connections as /etc/netplan/90-NM-*.yaml; leakwatch's hotspot is its own keyfile"
	fi
}

# The Wi-Fi adapter exists, can be an access point, and is not switched off by hardware.
check_wifi() {
	local phy modes
	if ! have iw; then
		machine_problem "iw is missing, so the Wi-Fi adapter cannot be checked" "sudo apt-get install iw"
		return 0
	fi
	phy="$(iw dev "${HOTSPOT_IF}" info 2>/dev/null | awk '/wiphy/ { print "phy" $2 }' || true)"
	if [[ -z ${phy} ]]; then
		machine_problem "there is no Wi-Fi interface ${HOTSPOT_IF}" "list them with \`iw dev\`; set HOTSPOT_IF to one (usually wlan0)"
		return 0
	fi
	modes="$(iw phy "${phy}" info 2>/dev/null | awk '/Supported interface modes:/ { on = 1; next } on && /^[\t ]+\* / { print $2; next } on { on = 0 }' || true)"
	if grep -qx 'AP' <<<"${modes}"; then
		ok "${HOTSPOT_IF} (${phy}) can be an access point"
	else
		machine_problem "${HOTSPOT_IF} cannot be an access point (its modes: ${modes//$'\n'/, })" "use the Pi's built-in Wi-Fi or an adapter whose \`iw list\` shows AP mode"
	fi
	if have rfkill && rfkill list wifi 2>/dev/null | grep -q 'Hard blocked: yes'; then
		machine_problem "a hardware switch blocks Wi-Fi" "turn the adapter's switch on"
	elif have rfkill && rfkill list wifi 2>/dev/null | grep -q 'Soft blocked: yes'; then
		info "Wi-Fi is soft-blocked (rfkill): it is unblocked once the country is set"
	fi
}

# The uplink: the interface of the default route, unless UPLINK_IF names one.
find_uplink() {
	local found
	found="$(ip -4 route show default 2>/dev/null | awk -v hot="${HOTSPOT_IF}" '{ for (i = 1; i < NF; i++) if ($i == "dev" && $(i + 1) != hot) { print $(i + 1); exit } }' || true)"
	if [[ -z ${UPLINK_IF} ]]; then
		UPLINK_IF="${found}"
		[[ -n ${UPLINK_IF} ]] || machine_problem "no uplink: no default route through an interface other than ${HOTSPOT_IF}" "plug in Ethernet (or a second Wi-Fi adapter connected to a network), then run this again"
		UPLINK_IF="${UPLINK_IF:-eth0}"
	fi
	ok "uplink ${UPLINK_IF}${found:+ (the default route goes through ${found})}"
}

# The IPv4 networks this machine already has, except on the hotspot interface: "first last" per line.
existing_networks() {
	ip -4 -o addr show 2>/dev/null | awk -v hot="${HOTSPOT_IF}" '$2 != hot { print $4 }' | while IFS=/ read -r addr bits; do
		local mask base
		mask=$(((0xffffffff << (32 - bits)) & 0xffffffff))
		base=$(($(ip_to_int "${addr}") & mask))
		printf '%d %d\n' "${base}" "$((base | (~mask & 0xffffffff)))"
	done
}

overlaps() {
	local first="$1" last="$2" a b
	while read -r a b; do
		[[ -n ${a} ]] || continue
		((a <= last && first <= b)) && return 0
	done < <(existing_networks)
	return 1
}

# SUBNET as given, or the first common hotspot subnet that no network here uses.
choose_subnet() {
	local candidate base bits
	if [[ -z ${SUBNET} ]]; then
		for candidate in 10.42.0.0/24 10.43.0.0/24 192.168.42.0/24 172.30.42.0/24; do
			base=$(ip_to_int "${candidate%/*}")
			overlaps "${base}" $((base + 255)) || { SUBNET="${candidate}"; break; }
		done
		[[ -n ${SUBNET} ]] || die "every usual hotspot subnet is already used here" "set SUBNET to a free private /24, e.g. SUBNET=10.77.0.0/24"
	fi
	derive_addresses
	bits="${HOTSPOT_PREFIX}"
	base=$(ip_to_int "${SUBNET%/*}")
	if overlaps "${base}" $((base + (1 << (32 - bits)) - 1)); then
		die "the hotspot subnet ${SUBNET} overlaps a network this machine is already on (the uplink's?)" "choose another SUBNET, e.g. 10.43.0.0/24"
	fi
	ok "hotspot subnet ${SUBNET}: the appliance is ${HOTSPOT_ADDR}, phones get ${DHCP_FIRST}-${DHCP_LAST}"
}

# DNS (53), DHCP (67), the page (80, 443) must be free on the hotspot address, or already ours.
check_ports() {
	local line port addr owner busy=()
	have ss || return 0
	while read -r line; do
		addr="$(awk '{ print $5 }' <<<"${line}")"
		port="${addr##*:}"
		addr="${addr%:*}"
		[[ ${port} =~ ^(53|67|80|443)$ ]] || continue
		[[ ${addr} == "${HOTSPOT_ADDR}" || ${addr} == 0.0.0.0 || ${addr} == '*' || ${addr} == '[::]' || ${addr} == '::' ]] || continue
		owner="$(grep -o 'users:(("[^"]*"' <<<"${line}" | cut -d'"' -f2 || true)"
		# A re-run: leakwatch and its own dnsmasq hold these ports already.
		[[ ${owner} == dnsmasq ]] && systemctl is-active --quiet leakwatch-dnsmasq 2>/dev/null && continue
		[[ ${owner} == node ]] && systemctl is-active --quiet leakwatch 2>/dev/null && continue
		busy+=("${port} (${owner:-unknown program} on ${addr})")
	done < <(ss -H -lntup 2>/dev/null)
	if ((${#busy[@]})); then
		machine_problem "ports the hotspot needs are taken: ${busy[*]}" "stop those programs (e.g. \`sudo systemctl disable --now dnsmasq\` for a system dnsmasq, or a web server on port 80), then run this again"
	else
		ok "ports 53, 67, 80 and 443 are free"
	fi
}

check_disk() {
	local free
	free="$(df -Pk "$(target /)" 2>/dev/null | awk 'NR == 2 { print $4 }' || true)"
	if [[ -n ${free} ]] && ((free < 1024 * 1024)); then
		machine_problem "only $((free / 1024)) MB free; building leakwatch needs about 1 GB" "free some space (\`sudo apt-get clean\`) or use a larger SD card"
	else
		ok "disk space"
	fi
}

check_node_source() {
	if [[ -n ${NODE_TARBALL} ]]; then
		[[ -r ${NODE_TARBALL} || ${NODE_TARBALL} == https://* ]] || die "NODE_TARBALL ${NODE_TARBALL} cannot be read" "give the path of a node-v24.*-linux-<arch>.tar.xz, or leave it empty to download Node 24 from nodejs.org"
		ok "Node 24 from ${NODE_TARBALL}"
	elif [[ -x $(target /opt/leakwatch/runtime/bin/node) ]] && [[ $("$(target /opt/leakwatch/runtime/bin/node)" --version 2>/dev/null) == v24.* ]]; then
		ok "Node $("$(target /opt/leakwatch/runtime/bin/node)" --version) is installed"
	elif ((DRY_RUN)); then
		info "Node 24 LTS would be downloaded from nodejs.org"
	elif ! curl -fsSI --max-time 15 https://nodejs.org/dist/latest-v24.x/SHASUMS256.txt >/dev/null; then
		die "nodejs.org cannot be reached, and Node 24 is not installed" "connect the uplink to the internet, or set NODE_TARBALL to a downloaded node-v24 tarball"
	else
		ok "Node 24 LTS will be downloaded from nodejs.org"
	fi
}

preflight() {
	phase "Preflight (nothing has changed yet)"
	((EUID == 0 || DRY_RUN)) || die "the installer changes the system: it must run as root" "sudo bash provisioning/install.sh"
	check_os
	check_network_manager
	check_wifi
	find_uplink
	check_settings
	choose_subnet
	check_ports
	check_disk
	check_node_source
}
