#!/usr/bin/env bash
# What every installer phase shares: status lines, the target root, files installed only when
# they change (with a backup of what was there and a manifest entry), commands that --dry-run
# only prints, and the list of services to restart once at the end.
# Sourced by provisioning/install.sh; the globals below are the installer's state.

# The filesystem the installer writes to: "" is this machine; --root DIR renders into DIR.
ROOT="${ROOT:-}"
# 1: render every file into ROOT and print the commands it would run; change nothing else.
DRY_RUN="${DRY_RUN:-0}"
# Where the installer keeps what it did (the manifest and backups), so uninstall can undo it.
STATE_DIR="/var/lib/leakwatch-install"
# Files written this run, and services whose files changed (restarted once, at the end).
CHANGED=()
RESTART=()

ok() { printf '  \033[32m✓\033[0m %s\n' "$*"; }
info() { printf '  i %s\n' "$*"; }
warn() { printf '  \033[33m!\033[0m %s\n' "$*" >&2; }
# A failure that stops the installer: what is wrong, then what to do about it.
die() {
	printf '  \033[31m✗\033[0m %s\n' "$1" >&2
	[[ -n ${2:-} ]] && printf '    fix: %s\n' "$2" >&2
	exit 1
}
phase() { printf '\n== %s\n' "$*"; }

# The path of an installed file under ROOT.
target() { printf '%s%s' "${ROOT}" "$1"; }

# Runs a command that changes the system; --dry-run only says what it would run.
run() {
	if ((DRY_RUN)); then
		printf '  would run: %s\n' "$*"
		return 0
	fi
	"$@"
}

# Appends a line to the manifest (once): what uninstall undoes, in reverse order.
remember() {
	local line="$1" manifest
	((DRY_RUN)) && return 0
	manifest="$(target "${STATE_DIR}/manifest")"
	mkdir -p "$(dirname "${manifest}")"
	touch "${manifest}"
	grep -qxF -- "${line}" "${manifest}" || printf '%s\n' "${line}" >>"${manifest}"
}

# Installs CONTENT (stdin) at PATH with MODE and OWNER:GROUP, only when it differs from what is
# there. The first time a file the installer did not write is replaced, the original is kept for
# uninstall. Returns 0 when the file changed, 1 when it was already right.
install_file() {
	local path="$1" mode="$2" owner="$3" dest tmp backup
	dest="$(target "${path}")"
	tmp="$(mktemp)"
	cat >"${tmp}"
	if [[ -f ${dest} ]] && cmp -s "${tmp}" "${dest}" && [[ $(stat -c '%a' "${dest}") == "${mode#0}" ]]; then
		rm -f "${tmp}"
		return 1
	fi
	mkdir -p "$(dirname "${dest}")"
	if ((!DRY_RUN)) && [[ -f ${dest} ]] && ! grep -q "^file ${path} " "$(target "${STATE_DIR}/manifest")" 2>/dev/null; then
		backup="$(target "${STATE_DIR}/backup${path}")"
		mkdir -p "$(dirname "${backup}")"
		cp -p "${dest}" "${backup}"
		remember "file ${path} ${STATE_DIR}/backup${path}"
	else
		remember "file ${path} -"
	fi
	install -m "${mode}" "${tmp}" "${dest}"
	rm -f "${tmp}"
	if ((!DRY_RUN)) && [[ -z ${ROOT} ]]; then chown "${owner}" "${dest}"; fi
	CHANGED+=("${path}")
	return 0
}

# install_file that queues SERVICE for a restart when the file changed.
install_for() {
	local service="$1"
	shift
	if install_file "$@"; then
		ok "wrote $1"
		[[ " ${RESTART[*]} " == *" ${service} "* ]] || RESTART+=("${service}")
	fi
	return 0
}

# Whether a command exists here (in ROOT's PATH when rendering elsewhere, the host's).
have() { command -v "$1" >/dev/null 2>&1; }
