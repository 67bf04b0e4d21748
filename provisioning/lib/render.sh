#!/usr/bin/env bash
# Renders a provisioning template: replaces each @TOKEN@ with the value of the variable TOKEN.
# Usage: HOTSPOT_IF=wlan0 ... render.sh TEMPLATE > OUTPUT
# Fails (exit 1, naming it) when a token has no value, so no half-filled file is ever installed.
set -euo pipefail

render() {
	local template=$1 text token value
	text=$(<"$template")
	for token in $(grep -o '@[A-Z_]\+@' "$template" | sort -u); do
		token=${token//@/}
		value=${!token-}
		if [[ -z ${value} ]]; then
			echo "render.sh: ${template}: no value for @${token}@ (set ${token})" >&2
			return 1
		fi
		text=${text//@${token}@/${value}}
	done
	printf '%s\n' "${text}"
}

[[ ${LEAKWATCH_SOURCE_ONLY:-} ]] || render "$@"
