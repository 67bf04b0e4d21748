/**
 * What the installer renders (`install.sh --dry-run --root DIR`), checked by the tools that will
 * read it on the Pi: dnsmasq --test, NetworkManager's own nmcli --offline, systemd-analyze verify
 * and security, shellcheck; and bad values stop it before anything is written.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labInstallSettings, renderInstall } from '../../lab/installer.js';
import type { RenderedInstall } from '../../lab/installer.js';
import { requirePrerequisites } from '../../support/prerequisites.js';
import { keyfile, nmcliOfflineKeyfile } from './keyfile.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'lw-render-'));
/** A passphrase with what GKeyFile escapes and render.sh would refuse elsewhere. */
const PASSPHRASE = 'correct "horse" \\battery; staple';
let install: RenderedInstall;

function tool(name: string, pkg: string): string | undefined {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0 ? undefined : `${name} is missing (apt-get install ${pkg})`;
}
const missing = requirePrerequisites('the rendered-file checks', tool('dnsmasq', 'dnsmasq-base') ?? tool('nmcli', 'network-manager') ?? tool('systemd-analyze', 'systemd') ?? tool('shellcheck', 'shellcheck') ?? tool('unshare', 'util-linux') ?? (process.getuid?.() === 0 ? undefined : 'systemd-analyze verify runs in a private mount namespace, which needs root'));

beforeAll(() => {
  install = renderInstall(dir, { PASSPHRASE, SSID: 'leakwatch lab' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(!missing)('the files the installer renders', () => {
  it('are every file a Pi gets, secrets readable by root only', () => {
    const files: string[] = [];
    const walk = (d: string) => readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(join(d, e.name)) : files.push(join(d, e.name).slice(install.root.length))));
    walk(install.root);
    expect(files.sort()).toEqual([
      '/etc/NetworkManager/system-connections/leakwatch-hotspot.nmconnection', '/etc/leakwatch/dnsmasq.conf', '/etc/leakwatch/install.conf', '/etc/leakwatch/leakwatch.json',
      '/etc/leakwatch/nftables/leakwatch-redirect.nft', '/etc/leakwatch/nftables/leakwatch.nft', '/etc/sysctl.d/90-leakwatch.conf', '/etc/systemd/journald.conf.d/90-leakwatch.conf',
      '/etc/systemd/system/leakwatch-dnsmasq.service', '/etc/systemd/system/leakwatch-network.service', '/etc/systemd/system/leakwatch.service', '/usr/local/bin/leakwatch',
    ]);
    expect(statSync(install.hotspotConnection).mode & 0o777).toBe(0o600);
    expect(statSync(join(install.root, 'etc/leakwatch/install.conf')).mode & 0o777).toBe(0o600);
    expect(statSync(join(install.root, 'usr/local/bin/leakwatch')).mode & 0o777).toBe(0o755);
    for (const file of files) expect(readFileSync(join(install.root, file), 'utf8'), file).not.toMatch(/@[A-Z_]+@/);
  });

  it('gives dnsmasq a file it accepts, serving the hotspot only', () => {
    const check = spawnSync('dnsmasq', ['--test', `--conf-file=${install.dnsmasq}`], { encoding: 'utf8' });
    expect(check.stderr.trim()).toBe('dnsmasq: syntax check OK.');
    const conf = readFileSync(install.dnsmasq, 'utf8');
    const lines = conf.split('\n');
    for (const line of ['interface=hot0', 'bind-dynamic', 'except-interface=lo', 'dhcp-range=10.42.0.100,10.42.0.200,12h', 'dhcp-option=option:router,10.42.0.1', 'filter-rr=HTTPS']) expect(lines).toContain(line);
  });

  it('writes the hotspot connection NetworkManager itself would write (nmcli --offline), the passphrase escaped', () => {
    const ours = keyfile(readFileSync(install.hotspotConnection, 'utf8'));
    const theirs = keyfile(nmcliOfflineKeyfile(labInstallSettings(dir, { PASSPHRASE, SSID: 'leakwatch lab' })));
    // Defaults each side states and the other leaves out.
    delete ours['connection.autoconnect'];
    delete theirs['ipv6.addr-gen-mode'];
    expect(ours).toEqual(theirs);
    expect(ours['wifi-security.psk']).toBe('correct "horse" \\\\battery; staple');
    expect(ours['wifi.mode']).toBe('ap');
    expect(ours['ipv4.method']).toBe('manual');
  });

  it('makes systemd units that systemd-analyze verify accepts without a single warning', () => {
    for (const unit of Object.values(install.units)) {
      // A private /opt holding a node where the unit expects it: verify checks that ExecStart exists.
      // --man=no: whether this machine has dnsmasq's man page installed is not the unit's business.
      const result = spawnSync('unshare', ['-m', 'sh', '-c', `mount -t tmpfs tmpfs /opt && mkdir -p /opt/leakwatch/runtime/bin && ln -s "${process.execPath}" /opt/leakwatch/runtime/bin/node && exec systemd-analyze verify --man=no "${unit}"`], { encoding: 'utf8' });
      expect({ unit, status: result.status, stderr: result.stderr }).toEqual({ unit, status: 0, stderr: '' });
    }
  });

  it('catches a misspelt key in a unit (the check above would fail), which systemd-analyze only warns about', () => {
    const broken = join(dir, 'broken.service');
    execFileSync('sh', ['-c', `sed 's/^ProtectHome=yes/ProtectHomme=yes/' "${install.units.network}" > "${broken}"`]);
    const result = spawnSync('systemd-analyze', ['verify', broken], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/Unknown key 'ProtectHomme' in section \[Service\], ignoring/);
  });

  it.each([['leakwatch', 2.5], ['network', 2.0], ['dnsmasq', 3.5]] as const)('hardens %s.service: systemd-analyze security exposure at most %s', (name, limit) => {
    const out = execFileSync('systemd-analyze', ['security', '--offline=yes', install.units[name]], { encoding: 'utf8' });
    const exposure = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(out)?.[1]);
    expect(exposure).toBeLessThanOrEqual(limit);
  });

  it('ships only scripts shellcheck passes at warning level', () => {
    const scripts = ['provisioning/install.sh', ...readdirSync(join(ROOT, 'provisioning/lib')).map((f) => `provisioning/lib/${f}`), 'provisioning/system/leakwatch-cli.sh', 'test/prerequisites.sh', 'test/pi/arm64-chroot.sh', 'test/node24.sh', '.ci/run'];
    const result = spawnSync('shellcheck', ['-S', 'warning', '-x', ...scripts], { cwd: ROOT, encoding: 'utf8' });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('bad values', () => {
  it.each([
    [{ PASSPHRASE: 'short' }, 'the passphrase has 5 characters; WPA needs 8 to 63', 'set PASSPHRASE to 8-63 printable ASCII characters'],
    [{ PASSPHRASE: 'ü'.repeat(10) }, 'the passphrase may hold only printable ASCII characters', 'set PASSPHRASE'],
    [{ COUNTRY: '' }, 'the Wi-Fi country is not set: Wi-Fi stays blocked (rfkill) until it is', 'set COUNTRY to your country'],
    [{ COUNTRY: 'Germany' }, 'the Wi-Fi country "GERMANY" is not a two-letter country code', 'use the ISO 3166 code'],
    [{ CHANNEL: '15' }, 'Wi-Fi channel 15 does not exist', 'use 1-13'],
    [{ UPLINK_IF: 'hot0' }, 'the hotspot and the uplink are both hot0: one radio cannot be both', 'use Ethernet (eth0) or a second Wi-Fi adapter'],
    [{ SUBNET: '8.8.8.0/24' }, 'the hotspot subnet 8.8.8.0/24 is not a private range', 'use one in 10.0.0.0/8'],
    [{ SUBNET: '10.42.0.1/24' }, '10.42.0.1/24 is not a network address (host bits set)', 'use 10.42.0.0/24'],
    [{ SECURITY: 'wep' }, 'SECURITY must be wpa2 or wpa3, not wep', 'use wpa2'],
    [{ SSID: 'a'.repeat(33) }, 'must be 1 to 32 printable characters', 'choose another SSID'],
  ])('%o stops the installer with the reason and the fix, and writes nothing', (bad, reason, fix) => {
    const out = mkdtempSync(join(dir, 'bad-'));
    expect(() => renderInstall(out, bad)).toThrow(reason);
    expect(() => renderInstall(out, bad)).toThrow(`fix: ${fix}`);
    expect(existsSync(join(out, 'rendered'))).toBe(false);
  });

  it('refuses an unknown setting in the config file, naming the ones there are', () => {
    const out = mkdtempSync(join(dir, 'unknown-'));
    expect(() => renderInstall(out, { PASSWROD: 'typo in the name' })).toThrow(/unknown setting PASSWROD[\s\S]*fix: the settings are: SSID PASSPHRASE/);
  });
});
