#!/usr/bin/env bash
# Renders a provisioning template: replaces each @TOKEN@ with the value of the variable TOKEN.
# Usage: HOTSPOT_IF=wlan0 ... render.sh TEMPLATE > OUTPUT
#    or: source render.sh; render TEMPLATE
# -e -u -o pipefail: a failed read or an unset name stops here, before anything is installed.
set -euo pipefail

# Fails (status 1, naming the token) when a token has no value or a value that could break out of
# the quoted strings of nftables and dnsmasq files, so no half-filled file is ever installed.
render() {
	local template=$1 text token value
	text=$(<"${template}")
	for token in $(grep -o '@[A-Z_]\+@' "${template}" | sort -u); do
		token=${token//@/}
		value=${!token-}
		if [[ -z ${value} ]]; then
			echo "render.sh: ${template}: no value for @${token}@ (set ${token})" >&2
			return 1
		fi
		if [[ ${value} == *[$'"\n']* ]]; then
			echo "render.sh: ${template}: the value of ${token} contains a quote or a newline" >&2
			return 1
		fi
		# Quoted replacement: bash 5.2 would otherwise treat '&' in a value as the matched text.
		text=${text//"@${token}@"/"${value}"}
	done
	printf '%s\n' "${text}"
}

# Run as a command (not sourced): render the template given.
[[ ${BASH_SOURCE[0]} != "$0" ]] || render "$@"
