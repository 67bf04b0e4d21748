#!/usr/bin/env bash
# shellcheck disable=SC2034 # settings are read by the other phases, and by render() through ${!TOKEN}
# Every file the installer writes, rendered from the templates beside it with this install's
# values, and installed only where it changed (each change queues the restart of what reads it).
# Sourced by provisioning/install.sh; ROOT makes --dry-run --root DIR render into DIR.

# The proxy's ports (appliance/src/config and the nftables rules must agree).
HTTP_PORT=8081
HTTPS_PORT=8443
PROXY_PORT=8888

# TEMPLATE rendered with the installer's variables into PATH; the whole file is rendered first,
# so a missing value never leaves a half-written file behind.
render_into() {
	local service="$1" template="$2" path="$3" mode="$4" owner="$5" text
	text="$(render "${PROVISIONING}/${template}")"
	# A redirect, not a pipe: install_for must run in this shell to record what changed.
	install_for "${service}" "${path}" "${mode}" "${owner}" < <(printf '%s\n' "${text}")
}

# A value as NetworkManager's keyfile (GKeyFile) reads it: backslashes doubled, a leading space kept.
keyfile_escape() {
	local value="${1//\\/\\\\}"
	[[ ${value} == ' '* ]] && value="\\s${value:1}"
	printf '%s' "${value}"
}

write_hotspot_connection() {
	local text marker="@@LEAKWATCH_PSK@@" ssid
	BAND="$( ((CHANNEL <= 14)) && echo bg || echo a)"
	if [[ ${SECURITY} == wpa3 ]]; then KEY_MGMT=sae PMF=3; else KEY_MGMT=wpa-psk PMF=1; fi
	# The passphrase may hold quotes, which render.sh refuses (they would break other files): it
	# goes in last, escaped for this file alone.
	ssid="$(keyfile_escape "${SSID}")"
	text="$(PSK="${marker}" SSID="${ssid}" render "${PROVISIONING}/networkmanager/leakwatch-hotspot.nmconnection")"
	text="${text//"${marker}"/"$(keyfile_escape "${PASSPHRASE}")"}"
	# NetworkManager ignores a keyfile others can read.
	install_for NetworkManager /etc/NetworkManager/system-connections/leakwatch-hotspot.nmconnection 0600 root:root < <(printf '%s\n' "${text}")
}

# The settings of this install, kept (root only: it holds the passphrase) so a later run repairs
# with the same values: `sudo bash provisioning/install.sh --unattended /etc/leakwatch/install.conf`.
write_install_conf() {
	local name text=""
	for name in SSID PASSPHRASE COUNTRY CHANNEL SECURITY HOTSPOT_IF UPLINK_IF SUBNET LEASE_FILE NODE_TARBALL; do
		text+="${name}=\"${!name}\""$'\n'
	done
	install_for none /etc/leakwatch/install.conf 0600 root:root < <(printf '%s' "${text}")
}

write_files() {
	phase "Configuration files"
	export HOTSPOT_IF UPLINK_IF HOTSPOT_NET HOTSPOT_ADDR HOTSPOT_PREFIX DHCP_FIRST DHCP_LAST LEASE_FILE CHANNEL HTTP_PORT HTTPS_PORT PROXY_PORT
	render_into leakwatch config/leakwatch.json /etc/leakwatch/leakwatch.json 0640 root:leakwatch
	render_into leakwatch-dnsmasq dnsmasq/leakwatch.conf /etc/leakwatch/dnsmasq.conf 0644 root:root
	render_into leakwatch-network nftables/leakwatch.nft /etc/leakwatch/nftables/leakwatch.nft 0644 root:root
	render_into leakwatch nftables/leakwatch-redirect.nft /etc/leakwatch/nftables/leakwatch-redirect.nft 0644 root:root
	write_hotspot_connection
	render_into sysctl system/sysctl.conf /etc/sysctl.d/90-leakwatch.conf 0644 root:root
	install_for systemd-journald /etc/systemd/journald.conf.d/90-leakwatch.conf 0644 root:root <"${PROVISIONING}/system/journald.conf"
	install_for none /usr/local/bin/leakwatch 0755 root:root <"${PROVISIONING}/system/leakwatch-cli.sh"
	local unit
	for unit in leakwatch.service leakwatch-network.service leakwatch-dnsmasq.service; do
		install_for "${unit%.service}" "/etc/systemd/system/${unit}" 0644 root:root <"${SOURCE}/systemd/${unit}"
	done
	write_install_conf
	if ((${#CHANGED[@]} == 0)); then ok "every configuration file is as it should be"; fi
}
