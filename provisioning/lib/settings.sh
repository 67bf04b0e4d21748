#!/usr/bin/env bash
# shellcheck disable=SC2034 # settings are read by the other phases, and by render() through ${!TOKEN}
# The installer's settings: defaults, an unattended config file (KEY=value lines, as
# provisioning/config/install.conf.example shows), or answers to prompts; each value checked
# before anything changes, and the hotspot's addresses derived from its subnet.
# Sourced by provisioning/install.sh.

# Every setting, in the order the prompts ask.
SETTING_NAMES=(SSID PASSPHRASE COUNTRY CHANNEL SECURITY HOTSPOT_IF UPLINK_IF SUBNET ADMIN_PASSWORD LEASE_FILE NODE_TARBALL)

set_defaults() {
	SSID="${SSID:-leakwatch}"
	PASSPHRASE="${PASSPHRASE:-}"
	COUNTRY="${COUNTRY:-}"
	CHANNEL="${CHANNEL:-6}"
	SECURITY="${SECURITY:-wpa2}"
	HOTSPOT_IF="${HOTSPOT_IF:-wlan0}"
	UPLINK_IF="${UPLINK_IF:-}"
	SUBNET="${SUBNET:-}"
	ADMIN_PASSWORD="${ADMIN_PASSWORD:-}"
	LEASE_FILE="${LEASE_FILE:-/var/lib/misc/dnsmasq.leases}"
	NODE_TARBALL="${NODE_TARBALL:-}"
}

# Reads KEY=value lines (comments and blank lines allowed; values may be quoted). Unknown keys
# stop the installer: a typo must not silently fall back to a default.
read_config() {
	local file="$1" line key value number=0
	[[ -r ${file} ]] || die "cannot read the config file ${file}" "give the path of a file like provisioning/config/install.conf.example"
	while IFS= read -r line || [[ -n ${line} ]]; do
		number=$((number + 1))
		[[ ${line} =~ ^[[:space:]]*(#|$) ]] && continue
		[[ ${line} =~ ^[[:space:]]*([A-Z_]+)=(.*)$ ]] || die "${file}:${number}: not a KEY=value line: ${line}" "write settings as KEY=value, one per line"
		key="${BASH_REMATCH[1]}"
		value="${BASH_REMATCH[2]}"
		[[ " ${SETTING_NAMES[*]} " == *" ${key} "* ]] || die "${file}:${number}: unknown setting ${key}" "the settings are: ${SETTING_NAMES[*]}"
		if [[ ${value} =~ ^\"(.*)\"$ || ${value} =~ ^\'(.*)\'$ ]]; then value="${BASH_REMATCH[1]}"; fi
		printf -v "${key}" '%s' "${value}"
	done <"${file}"
}

# Asks for each setting that an interactive install should confirm, showing the current value.
prompt_settings() {
	local answer problem
	ask() {
		local name="$1" question="$2" secret="${3:-}"
		if [[ -n ${secret} ]]; then
			read -r -s -p "  ${question}: " answer
			printf '\n'
		else
			read -r -p "  ${question} [${!name}]: " answer
		fi
		[[ -n ${answer} ]] && printf -v "${name}" '%s' "${answer}"
		return 0
	}
	ask SSID "Hotspot name (SSID)"
	while :; do
		ask PASSPHRASE "Hotspot passphrase (8-63 characters)${PASSPHRASE:+, Enter keeps the current one}" secret
		problem="$(passphrase_problem "${PASSPHRASE}")" || break
		warn "${problem}"
	done
	ask COUNTRY "Wi-Fi country (two letters, e.g. DE, GB, US)"
	ask CHANNEL "Wi-Fi channel (1-13 for 2.4 GHz, 36-165 for 5 GHz)"
	ask SECURITY "Security (wpa2, or wpa3 where every phone supports it)"
	ask HOTSPOT_IF "Wi-Fi interface for the hotspot"
	ask UPLINK_IF "Uplink interface (the internet)"
	ask SUBNET "Hotspot subnet"
}

# Empty when the passphrase is a valid WPA passphrase (8-63 printable ASCII characters), else why not.
passphrase_problem() {
	local p="$1"
	if ((${#p} < 8 || ${#p} > 63)); then
		printf 'the passphrase has %d characters; WPA needs 8 to 63' "${#p}"
		return 0
	fi
	if [[ ! ${p} =~ ^[[:print:]]+$ ]] || LC_ALL=C grep -q '[^ -~]' <<<"${p}"; then
		printf 'the passphrase may hold only printable ASCII characters (letters, digits, punctuation, spaces)'
		return 0
	fi
	return 1
}

# Dotted quad to a number, and back.
ip_to_int() {
	local IFS=. a b c d
	read -r a b c d <<<"$1"
	printf '%d' "$(((a << 24) | (b << 16) | (c << 8) | d))"
}
int_to_ip() { printf '%d.%d.%d.%d' "$((($1 >> 24) & 255))" "$((($1 >> 16) & 255))" "$((($1 >> 8) & 255))" "$(($1 & 255))"; }

valid_ipv4() {
	local IFS=. octet
	[[ $1 =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || return 1
	for octet in $1; do ((octet <= 255)) || return 1; done
}

# Checks every value (the subnet once chosen: see choose_subnet); a bad one stops the installer before anything changed.
check_settings() {
	local problem
	[[ ${SSID} =~ ^[[:print:]]{1,32}$ && ${SSID} != *'"'* ]] || die "the hotspot name (SSID) \"${SSID}\" must be 1 to 32 printable characters, without double quotes" "choose another SSID"
	problem="$(passphrase_problem "${PASSPHRASE}")" && die "${problem}" "set PASSPHRASE to 8-63 printable ASCII characters"
	[[ -n ${COUNTRY} ]] || die "the Wi-Fi country is not set: Wi-Fi stays blocked (rfkill) until it is" "set COUNTRY to your country's two-letter code (ISO 3166), e.g. COUNTRY=DE"
	COUNTRY="${COUNTRY^^}"
	[[ ${COUNTRY} =~ ^[A-Z]{2}$ && ${COUNTRY} != 00 ]] || die "the Wi-Fi country \"${COUNTRY}\" is not a two-letter country code" "use the ISO 3166 code, e.g. DE, GB, US, IN"
	[[ ${CHANNEL} =~ ^[0-9]+$ ]] && { ((CHANNEL >= 1 && CHANNEL <= 14)) || ((CHANNEL >= 36 && CHANNEL <= 177)); } || die "Wi-Fi channel ${CHANNEL} does not exist" "use 1-13 (2.4 GHz, every phone) or a 5 GHz channel such as 36"
	[[ ${SECURITY} == wpa2 || ${SECURITY} == wpa3 ]] || die "SECURITY must be wpa2 or wpa3, not ${SECURITY}" "use wpa2 unless every phone you test supports WPA3"
	[[ ${HOTSPOT_IF} =~ ^[A-Za-z0-9_.-]{1,15}$ ]] || die "\"${HOTSPOT_IF}\" is not an interface name" "see \`ip link\` for the Wi-Fi interface, usually wlan0"
	[[ ${UPLINK_IF} =~ ^[A-Za-z0-9_.-]{1,15}$ ]] || die "\"${UPLINK_IF}\" is not an interface name" "see \`ip route show default\` for the interface that reaches the internet"
	[[ ${HOTSPOT_IF} != "${UPLINK_IF}" ]] || die "the hotspot and the uplink are both ${HOTSPOT_IF}: one radio cannot be both" "use Ethernet (eth0) or a second Wi-Fi adapter as the uplink"
	[[ ${LEASE_FILE} == /* && ${LEASE_FILE} != *[[:space:]\"]* ]] || die "LEASE_FILE must be an absolute path without spaces" "leave it at /var/lib/misc/dnsmasq.leases"
	[[ -z ${ADMIN_PASSWORD} || ${#ADMIN_PASSWORD} -ge 8 ]] || die "the admin password needs at least 8 characters" "set a longer ADMIN_PASSWORD, or leave it empty to get one generated"
	[[ -z ${SUBNET} ]] || derive_addresses
}

# From SUBNET (a private IPv4 /16-/28 network): the appliance's address (the first), the DHCP range.
derive_addresses() {
	local network bits base size mask
	[[ ${SUBNET} =~ ^([0-9.]+)/([0-9]{1,2})$ ]] || die "the hotspot subnet \"${SUBNET}\" is not an IPv4 network like 10.42.0.0/24" "set SUBNET, e.g. SUBNET=10.42.0.0/24"
	network="${BASH_REMATCH[1]}"
	bits="${BASH_REMATCH[2]}"
	valid_ipv4 "${network}" && ((bits >= 16 && bits <= 28)) || die "the hotspot subnet ${SUBNET} must be a /16 to /28 IPv4 network" "e.g. SUBNET=10.42.0.0/24"
	mask=$(((0xffffffff << (32 - bits)) & 0xffffffff))
	base=$(($(ip_to_int "${network}") & mask))
	[[ $(int_to_ip "${base}") == "${network}" ]] || die "${SUBNET} is not a network address (host bits set)" "use $(int_to_ip "${base}")/${bits}"
	is_private "${base}" || die "the hotspot subnet ${SUBNET} is not a private range" "use one in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16"
	size=$((1 << (32 - bits)))
	HOTSPOT_NET="${SUBNET}"
	HOTSPOT_PREFIX="${bits}"
	HOTSPOT_ADDR="$(int_to_ip $((base + 1)))"
	# Leases from .100 to .200 (the low addresses stay free for fixed ones); small subnets use their upper half.
	if ((size >= 256)); then
		DHCP_FIRST="$(int_to_ip $((base + 100)))"
		DHCP_LAST="$(int_to_ip $((base + 200)))"
	else
		DHCP_FIRST="$(int_to_ip $((base + size / 2)))"
		DHCP_LAST="$(int_to_ip $((base + size - 2)))"
	fi
}

is_private() {
	local n="$1"
	(((n & 0xff000000) == 0x0a000000)) || (((n & 0xfff00000) == 0xac100000)) || (((n & 0xffff0000) == 0xc0a80000))
}
