/**
 * The installer run for real (not --dry-run) into a folder that stands for a Pi, with stand-in
 * commands for what would change this machine (fake-system.ts): what a first run does, that a
 * second run changes nothing, that a run repairs a file changed by hand, and that uninstall takes
 * everything away again and gives back what it replaced.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePrerequisites } from '../../support/prerequisites.js';
import { fakeSystem } from './fake-system.js';
import type { FakeSystem } from './fake-system.js';

const missing = requirePrerequisites('the installer runs', process.getuid?.() === 0 ? undefined : 'the installer refuses to run without root, as it should');
const dir = mkdtempSync(join(tmpdir(), 'lw-install-'));
let pi: FakeSystem;
const settings = join(dir, 'install.conf');
/** A leakwatch the user had put there before: the installer replaces it, and uninstall gives it back. */
const EARLIER_CLI = '#!/bin/sh\necho "a leakwatch from npm link"\n';

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(!missing)('the installer, run for real into a pretend Pi', { timeout: 60_000 }, () => {
  beforeAll(() => {
    pi = fakeSystem(dir);
    writeFileSync(settings, ['SSID=leakwatch', 'PASSPHRASE=joining-is-easy', 'COUNTRY=de', 'CHANNEL=11', 'HOTSPOT_IF=hot0', 'UPLINK_IF=up0', 'SUBNET=10.77.0.0/24', ''].join('\n'));
    mkdirSync(join(pi.root, 'usr/local/bin'), { recursive: true });
    writeFileSync(join(pi.root, 'usr/local/bin/leakwatch'), EARLIER_CLI, { mode: 0o755 });
  });

  it('first run: packages, the user, the files, the build, the country, the password, the services, then how to join', () => {
    const run = pi.install(['--unattended', settings]);
    expect(run.status, run.output).toBe(0);
    const calls = pi.calls();
    expect(calls).toContain('apt-get install -y -qq --no-install-recommends qrencode');
    expect(calls).toContain('useradd --system --user-group --home-dir /var/lib/leakwatch --no-create-home --shell /usr/sbin/nologin --comment leakwatch appliance leakwatch');
    expect(calls).toContain('npm install --no-audit --no-fund --loglevel=error');
    expect(calls).toContain('npm prune --omit=dev --no-audit --no-fund --loglevel=error');
    expect(calls).toContain('iw reg set DE');
    expect(calls).toContainEqual(expect.stringMatching(/^runuser -u leakwatch -- .*\/usr\/local\/bin\/leakwatch password --config \/etc\/leakwatch\/leakwatch.json --stdin$/));
    expect(calls).toContain('nmcli connection up leakwatch-hotspot');
    expect(calls).toContain('systemctl enable --quiet leakwatch-network.service leakwatch-dnsmasq.service leakwatch.service');
    for (const unit of ['leakwatch-network', 'leakwatch-dnsmasq', 'leakwatch']) expect(calls).toContain(`systemctl restart ${unit}.service`);
    expect(pi.read('etc/leakwatch/leakwatch.json')).toContain('"host": "10.77.0.1"');
    expect(statSync(join(pi.root, 'etc/NetworkManager/system-connections/leakwatch-hotspot.nmconnection')).mode & 0o777).toBe(0o600);
    expect(pi.read('etc/modprobe.d/90-leakwatch-wifi-country.conf')).toBe('options cfg80211 ieee80211_regdom=DE\n');
    expect(pi.read('opt/leakwatch/app/.install-stamp')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(existsSync(join(pi.root, 'opt/leakwatch/app/appliance/bin/leakwatch.js'))).toBe(true);
    expect(run.output).toContain('Join the Wi-Fi    leakwatch');
    expect(run.output).toContain('Passphrase        joining-is-easy');
    expect(run.output).toContain('Then open         http://10.77.0.1/  (or http://leakwatch.internal/)');
    expect(run.output).toMatch(/Admin password {4}[A-HJ-NP-Za-km-z2-9]{16} {3}\(shown once: keep it\)/);
    expect(run.output).toContain('Scan to join the Wi-Fi:');
    expect(run.output).toMatch(/[▀▄█]{10}/);
    const manifest = pi.read('var/lib/leakwatch-install/manifest').split('\n');
    expect(manifest).toEqual(expect.arrayContaining(['package qrencode', 'user leakwatch', 'dir /opt/leakwatch', 'service leakwatch.service', 'file /etc/leakwatch/leakwatch.json -', 'file /usr/local/bin/leakwatch /var/lib/leakwatch-install/backup/usr/local/bin/leakwatch']));
  });

  it('second run changes nothing: no file written, no package, no restart, the password left alone', () => {
    const run = pi.install(['--unattended', settings]);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain('every configuration file is as it should be');
    expect(run.output).toContain('every service runs its current configuration');
    expect(run.output).toContain('/opt/leakwatch/app is this checkout\'s build');
    expect(run.output).toContain('Admin password    unchanged (a new one: sudo leakwatch password)');
    expect(run.output).not.toContain('wrote ');
    const changing = pi.calls().filter((c) => /^(apt-get|useradd|npm|runuser|sysctl|iw reg set|nmcli connection up)|^systemctl (restart|start|daemon-reload)/.test(c));
    expect(changing).toEqual([]);
  });

  it('a run repairs a file changed by hand, and restarts only what reads it', () => {
    writeFileSync(join(pi.root, 'etc/leakwatch/dnsmasq.conf'), 'interface=eth0\n');
    // The repair command the installer prints: the settings of the last install.
    const run = pi.install(['--unattended', join(pi.root, 'etc/leakwatch/install.conf')]);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain('wrote /etc/leakwatch/dnsmasq.conf');
    expect(pi.read('etc/leakwatch/dnsmasq.conf')).toContain('interface=hot0');
    expect(pi.calls().filter((c) => /^systemctl (restart|start)/.test(c))).toEqual(['systemctl restart leakwatch-dnsmasq.service']);
  });

  it('refuses --root without --dry-run outside tests, so a typo never installs into a folder', () => {
    const run = pi.install(['--unattended', settings], { LEAKWATCH_ALLOW_ROOT: '' });
    expect(run.status).toBe(1);
    expect(run.output).toContain('--root renders into a folder, so it goes with --dry-run');
  });

  it('uninstall removes what it added, gives back what it replaced, and keeps the data', () => {
    // What systemd makes for the running service (CacheDirectory=leakwatch): Node's compile cache.
    mkdirSync(join(pi.root, 'var/cache/leakwatch/node-compile-cache'), { recursive: true });
    const run = pi.install(['uninstall']);
    expect(run.status, run.output).toBe(0);
    const calls = pi.calls();
    expect(calls).toContain('systemctl disable --now leakwatch.service leakwatch-dnsmasq.service leakwatch-network.service');
    expect(calls).toContain('nft delete table inet leakwatch_redirect');
    expect(calls).toContain('nft delete table inet leakwatch');
    expect(calls).toContain('nmcli connection delete leakwatch-hotspot');
    expect(calls).toContain('userdel leakwatch');
    expect(pi.read('usr/local/bin/leakwatch')).toBe(EARLIER_CLI);
    for (const gone of ['etc/leakwatch/leakwatch.json', 'etc/NetworkManager/system-connections/leakwatch-hotspot.nmconnection', 'etc/systemd/system/leakwatch.service', 'etc/sysctl.d/90-leakwatch.conf', 'etc/modprobe.d/90-leakwatch-wifi-country.conf', 'opt/leakwatch', 'var/lib/leakwatch-install', 'var/cache/leakwatch']) {
      expect(existsSync(join(pi.root, gone)), gone).toBe(false);
    }
    expect(existsSync(join(pi.root, 'var/lib/leakwatch/leakwatch.db'))).toBe(true);
    expect(run.output).toContain('packages the installer added, left installed (other software may use them): qrencode');
    expect(pi.install(['uninstall']).output).toContain('nothing to uninstall');
  });

  it('uninstall --purge also removes the data', () => {
    pi.provideNode();
    const again = pi.install(['--unattended', settings]);
    expect(again.status, again.output).toBe(0);
    pi.calls();
    const run = pi.install(['uninstall', '--purge']);
    expect(run.status, run.output).toBe(0);
    expect(existsSync(join(pi.root, 'var/lib/leakwatch'))).toBe(false);
  });
});
