#!/usr/bin/env bash
# Software: Debian packages, the leakwatch user, Node 24 LTS as leakwatch's own runtime in
# /opt/leakwatch/runtime, and the app itself, built from this checkout into /opt/leakwatch/app
# with production dependencies only. Each step is skipped when it is already done.
# Sourced by provisioning/install.sh.

# What leakwatch runs with (dnsmasq-base: the binary without Debian's own dnsmasq service), and what
# building its native modules (better-sqlite3, pcap) needs.
PACKAGES=(network-manager nftables dnsmasq-base iw rfkill qrencode libpcap-dev python3 make g++ curl ca-certificates xz-utils)
NODE_MAJOR=24
APP=/opt/leakwatch/app
RUNTIME=/opt/leakwatch/runtime

install_packages() {
	phase "Packages"
	local package missing=()
	for package in "${PACKAGES[@]}"; do
		dpkg -s "${package}" >/dev/null 2>&1 || missing+=("${package}")
	done
	if ((${#missing[@]})); then
		run env DEBIAN_FRONTEND=noninteractive apt-get update -qq
		run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
		for package in "${missing[@]}"; do remember "package ${package}"; done
		ok "installed ${missing[*]}"
	else
		ok "every package is installed"
	fi
	# filter-rr=HTTPS (no ECH for browsers) needs dnsmasq 2.90: Bookworm has it in its security updates.
	if ((!DRY_RUN)); then
		local version
		version="$(dnsmasq --version | awk 'NR == 1 { print $3 }')"
		dpkg --compare-versions "${version}" ge 2.90 || die "dnsmasq ${version} is too old: leakwatch's hotspot DNS needs 2.90" "sudo apt-get update && sudo apt-get upgrade dnsmasq-base (Bookworm gets 2.90 from its security updates)"
	fi
}

create_user() {
	phase "The leakwatch user"
	if getent passwd leakwatch >/dev/null; then
		ok "user leakwatch exists"
	else
		run useradd --system --user-group --home-dir /var/lib/leakwatch --no-create-home --shell /usr/sbin/nologin --comment "leakwatch appliance" leakwatch
		remember "user leakwatch"
		ok "created the system user leakwatch"
	fi
}

# The official Node tarball for this machine's architecture, checked against nodejs.org's SHA-256.
install_node() {
	phase "Node ${NODE_MAJOR} LTS"
	local current arch tarball sums name work
	current="$("$(target "${RUNTIME}/bin/node")" --version 2>/dev/null || true)"
	if [[ ${current} == v${NODE_MAJOR}.* ]]; then
		ok "Node ${current} in ${RUNTIME}"
		return 0
	fi
	case "$(uname -m)" in
	aarch64) arch=arm64 ;;
	x86_64) arch=x64 ;;
	*) die "no Node ${NODE_MAJOR} for $(uname -m)" "use a 64-bit OS" ;;
	esac
	if ((DRY_RUN)); then
		info "would install Node ${NODE_MAJOR} (${arch}) into ${RUNTIME}"
		return 0
	fi
	work="$(mktemp -d)"
	tarball="${NODE_TARBALL}"
	if [[ -z ${tarball} || ${tarball} == https://* ]]; then
		sums="$(curl -fsS --max-time 60 "https://nodejs.org/dist/latest-v${NODE_MAJOR}.x/SHASUMS256.txt")" || die "could not download Node's checksums from nodejs.org" "check the uplink's internet, or set NODE_TARBALL to a downloaded tarball"
		name="$(awk -v a="linux-${arch}.tar.xz" '$2 ~ a"$" { print $2; exit }' <<<"${sums}")"
		[[ -n ${name} ]] || die "nodejs.org lists no linux-${arch} tarball for Node ${NODE_MAJOR}" "set NODE_TARBALL to one"
		tarball="${work}/${name}"
		curl -fsS --max-time 600 -o "${tarball}" "https://nodejs.org/dist/latest-v${NODE_MAJOR}.x/${name}" || die "could not download ${name}" "try again, or set NODE_TARBALL"
		(cd "${work}" && grep " ${name}\$" <<<"${sums}" | sha256sum -c --quiet -) || die "${name} does not match nodejs.org's SHA-256" "try again (a broken download), or set NODE_TARBALL"
	fi
	mkdir -p "${work}/node"
	tar -xJf "${tarball}" -C "${work}/node" --strip-components=1 || die "could not unpack ${tarball}" "give a node-v${NODE_MAJOR}.*-linux-${arch}.tar.xz"
	[[ $("${work}/node/bin/node" --version) == v${NODE_MAJOR}.* ]] || die "${tarball} is not Node ${NODE_MAJOR}" "give a node-v${NODE_MAJOR} tarball"
	mkdir -p "$(target /opt/leakwatch)"
	rm -rf "$(target "${RUNTIME}.old")"
	[[ -d $(target "${RUNTIME}") ]] && mv "$(target "${RUNTIME}")" "$(target "${RUNTIME}.old")"
	mv "${work}/node" "$(target "${RUNTIME}")"
	rm -rf "$(target "${RUNTIME}.old")" "${work}"
	remember "dir /opt/leakwatch"
	ok "Node $("$(target "${RUNTIME}/bin/node")" --version) in ${RUNTIME}"
}

# A fingerprint of the checkout's files: the app is rebuilt only when it changed.
source_stamp() {
	(cd "${SOURCE}" && find appliance ui provisioning systemd examples package.json package-lock.json tsconfig.json tsconfig.build.json \
		-type f ! -path '*/node_modules/*' ! -path 'ui/dist/*' -print0 2>/dev/null | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}

# Builds in a staging folder next to the installed app, then swaps it in: a failed build leaves the
# running app as it was.
install_app() {
	phase "The leakwatch app"
	local stamp staging npm
	stamp="$(source_stamp)"
	if [[ $(cat "$(target "${APP}/.install-stamp")" 2>/dev/null) == "${stamp}" ]]; then
		ok "${APP} is this checkout's build"
		return 0
	fi
	if ((DRY_RUN)); then
		info "would build this checkout into ${APP} (npm install, npm run build, production dependencies only)"
		return 0
	fi
	staging="$(target "${APP}.new")"
	rm -rf "${staging}"
	mkdir -p "${staging}"
	(cd "${SOURCE}" && tar --exclude=node_modules --exclude=./dist --exclude=./ui/dist --exclude=./data --exclude=./test-artifacts -cf - appliance ui systemd provisioning examples package.json package-lock.json tsconfig.json tsconfig.build.json README.md) | tar -xf - -C "${staging}"
	npm="$(target "${RUNTIME}/bin/npm")"
	info "building (a few minutes on a Pi; native modules compile)…"
	(cd "${staging}" && PATH="$(target "${RUNTIME}/bin"):${PATH}" "${npm}" install --no-audit --no-fund --loglevel=error) || die "npm install failed in ${staging} (its output is above)" "fix the cause (often no internet, or too little memory: add swap), then run the installer again"
	(cd "${staging}" && PATH="$(target "${RUNTIME}/bin"):${PATH}" "${npm}" prune --omit=dev --no-audit --no-fund --loglevel=error) || die "npm prune failed in ${staging}" "run the installer again"
	printf '%s\n' "${stamp}" >"${staging}/.install-stamp"
	chown -R root:root "${staging}"
	chmod -R go-w,a+rX "${staging}"
	rm -rf "$(target "${APP}.old")"
	[[ -d $(target "${APP}") ]] && mv "$(target "${APP}")" "$(target "${APP}.old")"
	mv "${staging}" "$(target "${APP}")"
	rm -rf "$(target "${APP}.old")"
	remember "dir /opt/leakwatch"
	RESTART+=(leakwatch)
	ok "built and installed into ${APP}"
}
