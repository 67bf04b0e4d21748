#!/usr/bin/env bash
# shellcheck disable=SC2034 # settings are read by the other phases, and by render() through ${!TOKEN}
# leakwatch's installer: turns a Raspberry Pi (Raspberry Pi OS 64-bit, Trixie or Bookworm) into the
# appliance — Node 24 LTS, the app in /opt/leakwatch, a leakwatch system user, the hotspot as its
# own NetworkManager connection, dnsmasq for the hotspot only, the nftables tables, forwarding,
# journald limits, the config and the hardened systemd units — then prints how to join.
#
#   sudo bash provisioning/install.sh                       asks for the hotspot's settings
#   sudo bash provisioning/install.sh --unattended FILE     takes them from FILE (install.conf.example)
#   bash provisioning/install.sh --dry-run --root DIR ...   renders every file into DIR, changes nothing
#   sudo bash provisioning/install.sh uninstall [--purge]   removes it again (--purge: the data too)
#
# Safe to run again: it changes only what differs (and repairs what was changed by hand); the uplink
# and SSH are never touched, and the firewall replaces only its own tables.
# -e -u -o pipefail: any failed step stops the installer; preflight runs before anything changes.
set -euo pipefail

PROVISIONING="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SOURCE="$(dirname "${PROVISIONING}")"
# shellcheck source=lib/common.sh
. "${PROVISIONING}/lib/common.sh"
# shellcheck source=lib/render.sh
. "${PROVISIONING}/lib/render.sh"
# shellcheck source=lib/settings.sh
. "${PROVISIONING}/lib/settings.sh"
# shellcheck source=lib/preflight.sh
. "${PROVISIONING}/lib/preflight.sh"
# shellcheck source=lib/files.sh
. "${PROVISIONING}/lib/files.sh"
# shellcheck source=lib/software.sh
. "${PROVISIONING}/lib/software.sh"
# shellcheck source=lib/activate.sh
. "${PROVISIONING}/lib/activate.sh"
# shellcheck source=lib/uninstall.sh
. "${PROVISIONING}/lib/uninstall.sh"

usage() {
	sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

main() {
	local command=install config="" interactive=1
	PURGE=0
	RESET_PASSWORD=0
	while (($#)); do
		case "$1" in
		uninstall) command=uninstall ;;
		--unattended) config="${2:?--unattended needs a config file}"; interactive=0; shift ;;
		--dry-run) DRY_RUN=1 ;;
		--root) ROOT="$(realpath -m "${2:?--root needs a folder}")"; shift ;;
		--purge) PURGE=1 ;;
		--reset-password) RESET_PASSWORD=1 ;;
		-h | --help) usage; exit 0 ;;
		*) usage >&2; die "unknown option $1" "see the usage above" ;;
		esac
		shift
	done
	if [[ -n ${ROOT} ]] && ((!DRY_RUN)) && [[ -z ${LEAKWATCH_ALLOW_ROOT:-} ]]; then
		die "--root renders into a folder, so it goes with --dry-run" "add --dry-run"
	fi
	((DRY_RUN)) && [[ -z ${ROOT} ]] && die "--dry-run needs --root DIR to render into" "add --root /tmp/leakwatch-render"
	if [[ ${command} == uninstall ]]; then
		((EUID == 0 || DRY_RUN)) || die "uninstall changes the system: it must run as root" "sudo bash provisioning/install.sh uninstall"
		uninstall
		return 0
	fi

	printf 'leakwatch installer%s\n' "$( ((DRY_RUN)) && printf ' (dry run: rendering into %s, nothing else changes)' "${ROOT}")"
	set_defaults
	# A repair run starts from the settings of the last install.
	[[ -z ${config} && -r $(target /etc/leakwatch/install.conf) ]] && read_config "$(target /etc/leakwatch/install.conf)"
	[[ -n ${config} ]] && read_config "${config}"
	if ((interactive)); then
		[[ -t 0 ]] || die "no settings: there is no terminal to ask on, and no --unattended FILE" "copy provisioning/config/install.conf.example, edit it, and pass --unattended FILE"
		phase "Hotspot settings (Enter keeps the value in brackets)"
		prompt_settings
	fi

	preflight
	((DRY_RUN)) || install_packages
	((DRY_RUN)) || create_user
	write_files
	if ((DRY_RUN)); then
		phase "Dry run done"
		printf '  rendered into %s:\n' "${ROOT}"
		printf '    %s\n' "${CHANGED[@]}"
		return 0
	fi
	install_node
	install_app
	set_wifi_country
	set_admin_password
	activate_services
	summary
}

# Run as a command (not sourced, as tests do to call its functions): install.
[[ ${BASH_SOURCE[0]} != "$0" ]] || main "$@"
