/**
 * The rendered hotspot connection in a real NetworkManager: a private `dbus-daemon --system`, and
 * `NetworkManager --no-daemon` in a network namespace of its own (its own /run and /var/lib, and
 * the test's folder for keyfiles), so nothing of this machine's network is touched. It loads the
 * installer's keyfile as an access point with its address and passphrase, and refuses a bad one.
 * It cannot bring the hotspot up: there is no radio here.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderInstall } from '../../lab/installer.js';
import type { RenderedInstall } from '../../lab/installer.js';
import { requirePrerequisites } from '../../support/prerequisites.js';

const PASSPHRASE = 'correct "horse" \\battery; staple';

function unavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'NetworkManager in a namespace needs root';
  for (const [cmd, pkg] of [['NetworkManager', 'network-manager'], ['nmcli', 'network-manager'], ['dbus-daemon', 'dbus-daemon'], ['unshare', 'util-linux']] as const) {
    if (spawnSync('sh', ['-c', `command -v ${cmd}`]).status !== 0) return `${cmd} is missing (apt-get install ${pkg})`;
  }
  return undefined;
}
const missing = requirePrerequisites('the NetworkManager smoke test', unavailable());

describe.runIf(!missing)('the hotspot connection in a real NetworkManager', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lw-nm-'));
  const ns = `lw-${process.pid}-${randomBytes(2).toString('hex')}-nm`;
  const bus = join(dir, 'system_bus_socket');
  const connections = join(dir, 'system-connections');
  const processes: ChildProcess[] = [];
  let install: RenderedInstall;
  const nmcli = (...args: string[]) => spawnSync('nmcli', args, { encoding: 'utf8', env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${bus}` } });

  beforeAll(async () => {
    install = renderInstall(dir, { PASSPHRASE });
    mkdirSync(connections, { recursive: true });
    writeFileSync(join(dir, 'bus.conf'), `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>system</type><listen>unix:path=${bus}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow user="*"/><allow own="*"/><allow send_type="method_call"/><allow send_type="signal"/><allow send_type="method_return"/><allow send_type="error"/>
<allow receive_type="method_call"/><allow receive_type="signal"/><allow receive_type="method_return"/><allow receive_type="error"/></policy></busconfig>\n`);
    writeFileSync(join(dir, 'nm.conf'), `[main]\nplugins=keyfile\ndhcp=internal\nauth-polkit=root-only\n[keyfile]\npath=${connections}\n`);
    processes.push(spawn('dbus-daemon', ['--nofork', `--config-file=${join(dir, 'bus.conf')}`], { stdio: 'ignore' }));
    spawnSync('ip', ['netns', 'add', ns]);
    // Its own /run/NetworkManager and /var/lib/NetworkManager: nothing of the host's state is read or written.
    const script = `mkdir -p /run/NetworkManager /var/lib/NetworkManager && mount -t tmpfs tmpfs /run/NetworkManager && mount -t tmpfs tmpfs /var/lib/NetworkManager && exec NetworkManager --no-daemon --config=${join(dir, 'nm.conf')} --config-dir=${join(dir, 'no-conf.d')} --state-file=${join(dir, 'nm.state')} --pid-file=${join(dir, 'nm.pid')}`;
    processes.push(spawn('ip', ['netns', 'exec', ns, 'unshare', '-m', 'sh', '-c', script], { stdio: 'ignore', env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${bus}` } }));
    for (let waited = 0; nmcli('general', 'status').status !== 0; waited += 100) {
      if (waited > 20_000) throw new Error(`NetworkManager did not answer on the private bus: ${nmcli('general', 'status').stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 40_000);

  afterAll(() => {
    for (const p of processes) p.kill('SIGKILL');
    spawnSync('ip', ['netns', 'del', ns]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the installer\'s keyfile as an access point with a fixed address, no IPv6, and the passphrase as given', () => {
    const file = join(connections, 'leakwatch-hotspot.nmconnection');
    copyFileSync(install.hotspotConnection, file);
    const loaded = nmcli('connection', 'load', file);
    expect(loaded.stderr).toBe('');
    // nmcli -g escapes backslashes and colons in what it prints; undone here.
    const get = (field: string) => {
      const shown = nmcli('--show-secrets', '-g', field, 'connection', 'show', 'leakwatch-hotspot');
      expect(shown.stderr, field).toBe('');
      return shown.stdout.trim().replace(/\\([\\:])/g, '$1');
    };
    expect(get('802-11-wireless.mode')).toBe('ap');
    expect(get('802-11-wireless.ssid')).toBe('leakwatch-lab');
    expect(get('802-11-wireless.band')).toBe('bg');
    expect(get('802-11-wireless-security.key-mgmt')).toBe('wpa-psk');
    // nmcli drops a secret it could not fetch without a word; seen once in CI under load, so the
    // secret is asked again before the answer counts as missing.
    let psk = get('802-11-wireless-security.psk');
    for (let tries = 1; psk === '' && tries < 5; tries += 1) psk = get('802-11-wireless-security.psk');
    expect(psk).toBe(PASSPHRASE);
    expect(get('ipv4.method')).toBe('manual');
    expect(get('ipv4.addresses')).toBe('10.42.0.1/24');
    expect(get('ipv6.method')).toBe('disabled');
    expect(get('connection.interface-name')).toBe('hot0');
  });

  it('refuses a keyfile the installer must never write (an SSID over 32 bytes, a channel that does not exist)', () => {
    for (const [edit, name] of [[/^ssid=.*$/m, `ssid=${'x'.repeat(33)}`], [/^channel=.*$/m, 'channel=200']] as const) {
      const file = join(connections, 'bad.nmconnection');
      writeFileSync(file, readFileSync(install.hotspotConnection, 'utf8').replace(edit, name).replace(/^id=.*$/m, 'id=bad-hotspot').replace(/^uuid=.*$/m, 'uuid=11111111-2222-3333-4444-555555555555'), { mode: 0o600 });
      const loaded = nmcli('connection', 'load', file);
      expect(`${loaded.stdout}${loaded.stderr}`).toContain(`Could not load file '${file}'`);
      expect(nmcli('-t', '-f', 'NAME', 'connection', 'show').stdout.split('\n')).not.toContain('bad-hotspot');
      rmSync(file);
    }
  });
});
