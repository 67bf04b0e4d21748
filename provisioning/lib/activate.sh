#!/usr/bin/env bash
# Bringing it up: the Wi-Fi country, kernel settings, the services (restarted only when their files
# changed), the hotspot connection, the admin password; then what the user needs to join.
# Sourced by provisioning/install.sh.

set_wifi_country() {
	phase "Wi-Fi country ${COUNTRY}"
	local current
	current="$(iw reg get 2>/dev/null | awk '/^global/ { on = 1 } on && /country/ { print $2; exit }' | tr -d ':' || true)"
	if [[ ${current} == "${COUNTRY}" ]]; then
		ok "the Wi-Fi country is ${COUNTRY}"
	elif have raspi-config; then
		run raspi-config nonint do_wifi_country "${COUNTRY}"
		ok "set the Wi-Fi country to ${COUNTRY} (raspi-config)"
	else
		install_for none /etc/modprobe.d/90-leakwatch-wifi-country.conf 0644 root:root < <(printf 'options cfg80211 ieee80211_regdom=%s\n' "${COUNTRY}")
		run iw reg set "${COUNTRY}"
		ok "set the Wi-Fi country to ${COUNTRY}"
	fi
	have rfkill && run rfkill unblock wifi
	return 0
}

# Restarts what reads a changed file, once each; enables everything at boot.
activate_services() {
	phase "Services"
	local item
	for item in "${RESTART[@]}"; do
		case "${item}" in
		sysctl) run sysctl -q -p "$(target /etc/sysctl.d/90-leakwatch.conf)" ;;
		systemd-journald) run systemctl restart systemd-journald ;;
		esac
	done
	if [[ " ${RESTART[*]} " == *" leakwatch"* ]]; then run systemctl daemon-reload; fi
	if [[ " ${RESTART[*]} " == *" NetworkManager "* ]]; then
		run nmcli connection reload
		# Re-created on every run: the saved connection is exactly the file just written.
		run nmcli connection up leakwatch-hotspot || warn "the hotspot did not come up yet; \`leakwatch doctor\` says why (often: the Wi-Fi country, or the adapter busy as a client)"
	fi
	run systemctl enable --quiet leakwatch-network.service leakwatch-dnsmasq.service leakwatch.service
	remember "service leakwatch-network.service"
	remember "service leakwatch-dnsmasq.service"
	remember "service leakwatch.service"
	for item in leakwatch-network leakwatch-dnsmasq leakwatch; do
		if [[ " ${RESTART[*]} " == *" ${item} "* ]]; then
			run systemctl restart "${item}.service"
			ok "restarted ${item}"
		elif ((!DRY_RUN)) && ! systemctl is-active --quiet "${item}.service"; then
			run systemctl start "${item}.service"
			ok "started ${item}"
		fi
	done
	((${#RESTART[@]})) || ok "every service runs its current configuration"
}

# The first install sets the admin password (given, or generated); later runs leave it alone.
ADMIN_SHOWN=""
set_admin_password() {
	phase "Admin password"
	if [[ -f $(target /var/lib/leakwatch/leakwatch.db) && -z ${ADMIN_PASSWORD} ]] && ! ((RESET_PASSWORD)); then
		ok "unchanged (a new one: sudo leakwatch password)"
		return 0
	fi
	local password="${ADMIN_PASSWORD}"
	# `|| true`: tr ends by SIGPIPE once head has its 16 characters, which pipefail would count as failure.
	[[ -n ${password} ]] || password="$(LC_ALL=C tr -dc 'A-HJ-NP-Za-km-z2-9' </dev/urandom | head -c 16 || true)"
	if ((DRY_RUN)); then
		info "would set the admin password"
		return 0
	fi
	printf '%s\n' "${password}" | run runuser -u leakwatch -- "$(target /usr/local/bin/leakwatch)" password --config /etc/leakwatch/leakwatch.json --stdin >/dev/null || die "could not set the admin password" "run: sudo leakwatch password"
	ADMIN_SHOWN="${password}"
	ok "set"
}

# WIFI:T:WPA;S:<ssid>;P:<passphrase>;; with \ ; , : " escaped (the Wi-Fi QR code phones read).
wifi_qr_payload() {
	local escape='s/[\\;,:"]/\\&/g'
	printf 'WIFI:T:WPA;S:%s;P:%s;;' "$(sed "${escape}" <<<"${SSID}")" "$(sed "${escape}" <<<"${PASSPHRASE}")"
}

summary() {
	phase "Done"
	printf '\n  Join the Wi-Fi    %s\n' "${SSID}"
	printf '  Passphrase        %s\n' "${PASSPHRASE}"
	printf '  Then open         http://%s/  (or http://leakwatch.internal/)\n' "${HOTSPOT_ADDR}"
	if [[ -n ${ADMIN_SHOWN} ]]; then
		printf '  Admin password    %s   (shown once: keep it)\n' "${ADMIN_SHOWN}"
	else
		printf '  Admin password    unchanged (a new one: sudo leakwatch password)\n'
	fi
	if have qrencode; then
		printf '\n  Scan to join the Wi-Fi:\n\n'
		qrencode -t ANSIUTF8 -m 2 "$(wifi_qr_payload)" | sed 's/^/  /'
	fi
	printf '\n  Something wrong? Run: leakwatch doctor\n'
	printf '  Settings kept in /etc/leakwatch/install.conf; run the installer again to repair,\n'
	printf '  or `sudo bash %s/install.sh uninstall` to remove leakwatch.\n\n' "${PROVISIONING}"
}
