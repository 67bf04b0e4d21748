/**
 * A pretend Raspberry Pi for running the installer for real (not --dry-run) into a folder: stand-in
 * commands on PATH for what would change this machine (apt-get, systemctl, nmcli, useradd, iw, nft,
 * sysctl …) that log each call and keep just enough state to answer questions the way a Pi would
 * (is the user there, is the service running, which Wi-Fi country is set). Read-only probes
 * (ip, uname, df, dnsmasq --version) are the real ones. Pi-hole's test suite does the same.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const INSTALLER = resolve(import.meta.dirname, '../../../provisioning/install.sh');

const STUBS: Record<string, string> = {
  'apt-get': 'log "$@"; [ "$1" = install ] && for p in "$@"; do touch "$STATE/package-$p"; done; exit 0',
  dpkg: `case "$1" in -s) [ -e "$STATE/package-$2" ] && exit 0; for p in $STUB_MISSING_PACKAGES; do [ "$p" = "$2" ] && exit 1; done; exit 0 ;; *) exec /usr/bin/dpkg "$@" ;; esac`,
  getent: '[ "$1" = passwd ] && [ -e "$STATE/user-$2" ] && echo "$2:x:999:999::/var/lib/$2:/usr/sbin/nologin" && exit 0; exit 2',
  useradd: 'log "$@"; for last; do :; done; touch "$STATE/user-$last"',
  userdel: 'log "$@"; rm -f "$STATE/user-$1"',
  systemctl: [
    'log "$@"',
    'case "$1" in',
    '  is-active) unit="${3:-$2}"; unit="${unit%.service}"; [ "$unit" = NetworkManager ] || [ -e "$STATE/running-$unit" ]; exit $? ;;',
    '  start|restart) unit="${2%.service}"; touch "$STATE/running-$unit" ;;',
    '  disable) for u in "$@"; do rm -f "$STATE/running-${u%.service}"; done ;;',
    'esac',
    'exit 0',
  ].join('\n'),
  nmcli: 'log "$@"',
  iw: [
    'case "$1 $2" in',
    '  "dev hot0") printf "Interface hot0\\n\\tifindex 3\\n\\twiphy 0\\n" ;;',
    '  "phy phy0") printf "Wiphy phy0\\n\\tSupported interface modes:\\n\\t\\t * managed\\n\\t\\t * AP\\n\\t\\t * monitor\\n\\tBand 1:\\n" ;;',
    '  "reg get") printf "global\\ncountry %s: DFS-ETSI\\n" "$(cat "$STATE/country" 2>/dev/null || echo 00)" ;;',
    '  "reg set") log "$@"; echo "$3" > "$STATE/country" ;;',
    '  *) exit 1 ;;',
    'esac',
  ].join('\n'),
  rfkill: 'case "$1" in list) printf "0: phy0: Wireless LAN\\n\\tSoft blocked: no\\n\\tHard blocked: no\\n" ;; *) log "$@" ;; esac',
  sysctl: 'log "$@"',
  nft: 'log "$@"',
  ss: 'exit 0',
  // `runuser -u leakwatch -- leakwatch password …`: the password goes into the data dir's database.
  runuser: 'log "$@"; cat > /dev/null; mkdir -p "$STUB_ROOT/var/lib/leakwatch"; touch "$STUB_ROOT/var/lib/leakwatch/leakwatch.db"',
};

export interface FakeSystem {
  root: string;
  /** Runs the installer with these arguments (--root is added); its output and exit status. */
  install(args: string[], env?: Record<string, string>): { status: number; output: string };
  /** The stand-in commands called since the last `calls()`, one line each: `systemctl restart leakwatch.service`. */
  calls(): string[];
  read(path: string): string;
  /** Puts the Node 24 runtime back (uninstall removes /opt/leakwatch; this machine cannot download it). */
  provideNode(): void;
}

export function fakeSystem(dir: string): FakeSystem {
  const root = join(dir, 'root');
  const bin = join(dir, 'bin');
  const state = join(dir, 'state');
  const log = join(dir, 'calls.log');
  for (const d of [root, bin, state]) mkdirSync(d, { recursive: true });
  writeFileSync(log, '');
  for (const [name, body] of Object.entries(STUBS)) {
    writeFileSync(join(bin, name), `#!/bin/sh\nlog() { echo "${name} $*" >> "$STUB_LOG"; }\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  // Node 24 as leakwatch's runtime, already there (no internet here); its npm builds by making the folders a build makes.
  const provideNode = () => {
    const runtime = join(root, 'opt/leakwatch/runtime/bin');
    mkdirSync(runtime, { recursive: true });
    writeFileSync(join(runtime, 'node'), '#!/bin/sh\necho v24.11.1\n', { mode: 0o755 });
    writeFileSync(join(runtime, 'npm'), '#!/bin/sh\necho "npm $*" >> "$STUB_LOG"\n[ "$1" = install ] && mkdir -p node_modules dist ui/dist\nexit 0\n', { mode: 0o755 });
  };
  provideNode();
  let seen = 0;
  return {
    root,
    provideNode,
    install(args, env = {}) {
      try {
        const output = execFileSync('bash', [INSTALLER, ...args, '--root', root], {
          encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, STUB_LOG: log, STATE: state, STUB_ROOT: root, STUB_MISSING_PACKAGES: 'qrencode', LEAKWATCH_ALLOW_ROOT: '1', ...env },
        });
        return { status: 0, output };
      } catch (error) {
        const e = error as { status: number; stdout: string; stderr: string };
        return { status: e.status, output: `${e.stdout}${e.stderr}` };
      }
    },
    calls() {
      const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
      const fresh = lines.slice(seen);
      seen = lines.length;
      return fresh;
    },
    read: (path) => readFileSync(join(root, path), 'utf8'),
  };
}
