import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFile, statfs } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo } from '../cli-io.js';
import { loadConfig } from '../config/config.js';
import type { Config } from '../config/config.js';
import { parseDnsmasqLeases } from '../system/dhcp-leases.js';
import { diagnose } from '../system/doctor.js';
import type { DoctorProbes, DoctorStatus } from '../system/doctor.js';
import { firewallStatus } from '../system/firewall.js';
import { readHealth } from '../system/health.js';
import { EXIT } from './exit-codes.js';

export const DOCTOR_USAGE = `usage: leakwatch doctor [--config FILE]
Checks what a phone on the hotspot needs, in order, and says how to fix what is wrong: the
service, the hotspot, DHCP and DNS, forwarding and the uplink, the firewall and the redirect to the
proxy, the page, the certificate, disk, temperature and power. Run it with sudo on the Pi
(reading the firewall needs root). Exit status 1 when something failed.
  --config   leakwatch's config file (the Pi: /etc/leakwatch/leakwatch.json)
`;

const MARK: Record<DoctorStatus, string> = { pass: '✓', fail: '✗', warn: '!', unknown: '?' };

/** A command's trimmed stdout whatever its exit status; undefined when it cannot run here. */
function ask(cmd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 5000 }, (error, stdout, stderr) => {
      const text = String(stdout).trim();
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return resolve(undefined);
      if (/not been booted with systemd|Failed to connect to bus|NetworkManager is not running/i.test(String(stderr))) return resolve(undefined);
      resolve(text);
    });
  });
}

async function unitState(name: string): Promise<string | undefined> {
  const state = await ask('systemctl', ['is-active', name]);
  return state === undefined ? undefined : state || 'not installed';
}

async function page(config: Config): Promise<DoctorProbes['page']> {
  const url = `http://${config.api.host === '0.0.0.0' ? '127.0.0.1' : config.api.host}:${config.api.port}/api/health`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
    return response.ok ? { ok: true, detail: url.replace('/api/health', '/') } : { ok: false, detail: `${url} answered ${response.status}` };
  } catch (error) {
    return { ok: false, detail: `${url}: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}` };
  }
}

async function certificate(dataDir: string): Promise<DoctorProbes['ca']> {
  try {
    return { notAfter: Date.parse(new X509Certificate(await readFile(join(dataDir, 'ca', 'leakwatch-ca.pem'))).validTo) };
  } catch (error) {
    return { problem: (error as NodeJS.ErrnoException).code === 'ENOENT' ? `no CA in ${join(dataDir, 'ca')} yet` : `unreadable (${(error as Error).message})` };
  }
}

async function optional<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch {
    return undefined;
  }
}

/** Everything the doctor looks at, read at once (each bounded: a hung tool costs seconds, not the run). */
export async function gatherProbes(config: Config): Promise<DoctorProbes> {
  const addresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address));
  const [leakwatch, dnsmasq, network, hotspot, firewall, pageAnswer, ca, forwarding, routes, leases, disk, health] = await Promise.all([
    unitState('leakwatch'), unitState('leakwatch-dnsmasq'), unitState('leakwatch-network'),
    ask('nmcli', ['-t', '-g', 'GENERAL.STATE', 'connection', 'show', 'leakwatch-hotspot']),
    firewallStatus(), page(config), certificate(config.dataDir),
    optional(() => readFile('/proc/sys/net/ipv4/ip_forward', 'utf8')),
    optional(() => readFile('/proc/net/route', 'utf8')),
    config.devices.leaseFile ? optional(() => readFile(config.devices.leaseFile, 'utf8')) : Promise.resolve(undefined),
    optional(() => statfs(config.dataDir)),
    optional(() => readHealth(config.dataDir)),
  ]);
  const now = Date.now();
  const uplink = routes?.split('\n').slice(1).map((l) => l.trim().split(/\s+/)).find((f) => f[1] === '00000000')?.[0];
  const probes: DoctorProbes = {
    now, transparent: config.transparent.enabled, hotspotInterface: config.capture.interface, pageAddress: config.api.host,
    units: { ...(leakwatch !== undefined ? { leakwatch } : {}), ...(dnsmasq !== undefined ? { dnsmasq } : {}), ...(network !== undefined ? { network } : {}) },
    addressPresent: config.api.host === '0.0.0.0' || addresses.includes(config.api.host),
    firewall, page: pageAnswer, ca,
  };
  if (hotspot !== undefined) probes.hotspot = hotspot;
  if (leases !== undefined) probes.clients = parseDnsmasqLeases(leases).filter((l) => l.expires === 0 || l.expires > now).length;
  if (forwarding !== undefined) probes.forwarding = forwarding.trim() === '1';
  if (uplink) probes.uplink = uplink;
  if (disk) probes.disk = { freeBytes: disk.bavail * disk.bsize, totalBytes: disk.blocks * disk.bsize };
  if (health) probes.health = health;
  return probes;
}

/** `leakwatch doctor`: one line per check, the fix under each problem; exit 1 when one failed. */
export async function doctorCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: { config: { type: 'string' }, help: { type: 'boolean', default: false } } });
  if (values.help) {
    io.stdout.write(DOCTOR_USAGE);
    return EXIT.ok;
  }
  const config = await loadConfig(values.config);
  const lines = diagnose(await gatherProbes(config));
  io.stdout.write('leakwatch doctor\n');
  for (const line of lines) {
    io.stdout.write(`  ${MARK[line.status]} ${line.what}\n`);
    if (line.fix && line.status !== 'pass') io.stdout.write(`      fix: ${line.fix}\n`);
  }
  const failed = lines.filter((l) => l.status === 'fail').length;
  io.stdout.write(failed === 0 ? '\nNothing is wrong that the doctor can see.\n' : `\n${failed} problem${failed === 1 ? '' : 's'}: fix the first one first; the others often follow from it.\n`);
  return failed === 0 ? EXIT.ok : EXIT.no;
}
