#!/usr/bin/env bash
# `install.sh uninstall [--purge]`: undoes what the manifest says the installer did, newest first —
# services stopped and removed, the hotspot connection deleted, files removed or restored from
# their backups, the firewall tables gone — and gives the Wi-Fi back to NetworkManager. The data
# (/var/lib/leakwatch: alerts, evidence, the CA) stays unless --purge.
# Sourced by provisioning/install.sh.

uninstall() {
	local manifest kind path backup lines=() services=() packages=() i
	manifest="$(target "${STATE_DIR}/manifest")"
	[[ -f ${manifest} ]] || die "nothing to uninstall: no manifest at ${STATE_DIR}/manifest (leakwatch was not installed by this installer)" "remove by hand what you installed"
	mapfile -t lines <"${manifest}"
	phase "Stopping leakwatch"
	for ((i = ${#lines[@]} - 1; i >= 0; i--)); do
		read -r kind path _ <<<"${lines[i]}"
		[[ ${kind} == service ]] && services+=("${path}")
	done
	if ((${#services[@]})); then
		run systemctl disable --now "${services[@]}" || warn "some services were already stopped"
	fi
	# The firewall tables go with their services; delete them anyway, in case they were loaded by hand.
	run nft delete table inet leakwatch_redirect 2>/dev/null || true
	run nft delete table inet leakwatch 2>/dev/null || true
	ok "services stopped and disabled, firewall tables removed"

	phase "Removing the hotspot"
	if have nmcli; then
		run nmcli connection delete leakwatch-hotspot 2>/dev/null || info "the hotspot connection was already gone"
	fi

	phase "Removing files"
	for ((i = ${#lines[@]} - 1; i >= 0; i--)); do
		read -r kind path backup <<<"${lines[i]}"
		case "${kind}" in
		file)
			if [[ ${backup} != - && -f $(target "${backup}") ]]; then
				run install -m "$(stat -c '%a' "$(target "${backup}")")" "$(target "${backup}")" "$(target "${path}")"
				ok "restored ${path}"
			elif [[ -e $(target "${path}") ]]; then
				run rm -f "$(target "${path}")"
				ok "removed ${path}"
			fi
			;;
		dir) [[ -e $(target "${path}") ]] && run rm -rf "$(target "${path}")" && ok "removed ${path}" ;;
		package) packages+=("${path}") ;;
		esac
	done
	run systemctl daemon-reload || true
	# Node's compile cache (leakwatch.service's CacheDirectory): made again by any later install.
	if [[ -e $(target /var/cache/leakwatch) ]]; then
		run rm -rf "$(target /var/cache/leakwatch)"
		ok "removed /var/cache/leakwatch (Node's compile cache)"
	fi
	run sysctl -q --system >/dev/null || true
	have nmcli && { run nmcli connection reload || true; }

	phase "The leakwatch user and its data"
	if ((PURGE)); then
		run rm -rf "$(target /var/lib/leakwatch)" "$(target /etc/leakwatch)"
		ok "removed /var/lib/leakwatch (alerts, evidence, the CA) and /etc/leakwatch"
	else
		info "kept /var/lib/leakwatch (alerts, evidence, the CA); remove it with: sudo bash ${PROVISIONING}/install.sh uninstall --purge"
	fi
	if grep -qx 'user leakwatch' "${manifest}" && getent passwd leakwatch >/dev/null; then
		run userdel leakwatch
		ok "removed the user leakwatch"
	fi
	if ((${#packages[@]})); then
		info "packages the installer added, left installed (other software may use them): ${packages[*]}"
		info "remove them with: sudo apt-get remove ${packages[*]}"
	fi
	run rm -rf "$(target "${STATE_DIR}")"
	phase "Done"
	printf '  leakwatch is removed; the Wi-Fi adapter is NetworkManager'"'"'s again (reconnect it to a network as usual).\n\n'
}
