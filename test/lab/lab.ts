/**
 * The network lab: a phone, the appliance and "the internet" as network namespaces joined by veth
 * pairs, with the project's own nftables ruleset and dnsmasq in the appliance, exactly as on the Pi.
 * Traffic stays inside these namespaces: the internet namespace has no route anywhere else.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { loadOrCreateCa } from '../../appliance/src/sources/proxy/ca.js';
import type { InternetConfig } from './internet-server.js';

export const ROOT = resolve(import.meta.dirname, '../..');

export const ADDR = {
  applianceHotspot: '10.42.0.1',
  hotspotNet: '10.42.0.0/24',
  phoneStatic: '10.42.0.50',
  applianceUplink: '10.99.0.1',
  news: '10.98.0.10',
  telemetry: '10.99.0.20',
  untrusted: '10.99.0.21',
} as const;

export const NAMES = { news: 'news.lab-news.test', telemetry: 'sa.lab-sensors.test', untrusted: 'bad.lab-untrusted.test' } as const;
export const PORTS = { http: 8081, https: 8443, proxy: 8888, api: 8080 } as const;

export type Host = 'phone' | 'appliance' | 'internet';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Lab {
  ns: Record<Host, string>;
  dir: string;
  labCaFile: string;
  intelFile: string;
  /** How the phone got its address: 'dhcp' (from the appliance's dnsmasq) or 'static'. */
  addressing: 'dhcp' | 'static';
  exec(host: Host, cmd: string, args: string[], timeoutMs?: number): Promise<ExecResult>;
  /** A long-running process in a namespace; its output lines go to `onLine`. Killed by destroy(). */
  spawn(host: Host, cmd: string, args: string[], onLine?: (line: string) => void): ChildProcess;
  destroy(): void;
}

/** Why the lab cannot run here (not root, a tool missing), or undefined when it can. */
export function labUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'the network lab needs root (ip netns, nftables)';
  for (const tool of ['ip', 'nft', 'dnsmasq', 'curl']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `the network lab needs ${tool} (apt-get install iproute2 nftables dnsmasq-base curl)`;
    }
  }
  try {
    execFileSync('ip', ['netns', 'add', 'lwprobe']);
    execFileSync('ip', ['netns', 'del', 'lwprobe']);
  } catch {
    return 'this machine does not allow network namespaces';
  }
  return undefined;
}

const sh = (args: string[]) => execFileSync(args[0]!, args.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

/** Removes namespaces left by lab runs that died more than ten minutes ago. */
export function cleanupStale(): void {
  if (!existsSync('/run/netns')) return;
  for (const name of readdirSync('/run/netns')) {
    if (!/^lw[0-9a-f]{6}[pai]$/.test(name)) continue;
    if (Date.now() - statSync(join('/run/netns', name)).mtimeMs < 10 * 60 * 1000) continue;
    try {
      sh(['ip', 'netns', 'del', name]);
    } catch {
      // already gone
    }
  }
}

function render(template: string, values: Record<string, string>): string {
  return execFileSync('bash', [join(ROOT, 'provisioning/lib/render.sh'), template], { env: { ...process.env, ...values } }).toString();
}

export async function createLab(): Promise<Lab> {
  cleanupStale();
  const id = randomBytes(3).toString('hex');
  const ns: Record<Host, string> = { phone: `lw${id}p`, appliance: `lw${id}a`, internet: `lw${id}i` };
  const dir = mkdtempSync(join(tmpdir(), `lw-lab-${id}-`));
  const children: ChildProcess[] = [];
  let destroyed = false;
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    for (const c of children) c.kill('SIGKILL');
    for (const name of Object.values(ns)) {
      try {
        sh(['ip', 'netns', 'del', name]);
      } catch {
        // not created
      }
    }
    rmSync(`/etc/netns/${ns.phone}`, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', destroy);
  try {
    const run = (host: Host, ...args: string[]) => sh(['ip', 'netns', 'exec', ns[host], ...args]);
    for (const name of Object.values(ns)) sh(['ip', 'netns', 'add', name]);
    for (const host of Object.keys(ns) as Host[]) run(host, 'ip', 'link', 'set', 'lo', 'up');
    sh(['ip', 'link', 'add', 'name', 'hot0', 'netns', ns.appliance, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns.phone]);
    sh(['ip', 'link', 'add', 'name', 'up0', 'netns', ns.appliance, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns.internet]);
    run('appliance', 'ip', 'addr', 'add', `${ADDR.applianceHotspot}/24`, 'dev', 'hot0');
    run('appliance', 'ip', 'addr', 'add', `${ADDR.applianceUplink}/24`, 'dev', 'up0');
    run('appliance', 'ip', 'addr', 'add', '10.98.0.1/24', 'dev', 'up0');
    for (const ip of [ADDR.news, ADDR.telemetry, ADDR.untrusted]) run('internet', 'ip', 'addr', 'add', `${ip}/24`, 'dev', 'eth0');
    for (const [host, dev] of [['appliance', 'hot0'], ['appliance', 'up0'], ['phone', 'eth0'], ['internet', 'eth0']] as const) run(host, 'ip', 'link', 'set', dev, 'up');
    run('appliance', 'sysctl', '-qw', 'net.ipv4.ip_forward=1');

    const nft = join(dir, 'leakwatch.nft');
    writeFileSync(nft, render(join(ROOT, 'provisioning/nftables/leakwatch.nft'), {
      HOTSPOT_IF: 'hot0', UPLINK_IF: 'up0', HOTSPOT_NET: ADDR.hotspotNet, HOTSPOT_ADDR: ADDR.applianceHotspot,
      HTTP_PORT: String(PORTS.http), HTTPS_PORT: String(PORTS.https), PROXY_PORT: String(PORTS.proxy),
    }));
    run('appliance', 'nft', '-f', nft);

    const conf = join(dir, 'dnsmasq.conf');
    writeFileSync(conf, render(join(ROOT, 'provisioning/dnsmasq/leakwatch.conf'), {
      HOTSPOT_IF: 'hot0', DHCP_FIRST: '10.42.0.100', DHCP_LAST: '10.42.0.150', HOTSPOT_ADDR: ADDR.applianceHotspot, LEASE_FILE: join(dir, 'leases'),
    }) + ['no-resolv', 'no-hosts', `address=/${NAMES.news}/${ADDR.news}`, `address=/${NAMES.telemetry}/${ADDR.telemetry}`, `address=/${NAMES.untrusted}/${ADDR.untrusted}`, ''].join('\n'));
    const lab: Lab = {
      ns, dir, labCaFile: join(dir, 'lab-ca', 'ca', 'leakwatch-ca.pem'), intelFile: join(dir, 'intel.json'), addressing: 'static',
      exec: (host, cmd, args, timeoutMs = 20_000) => new Promise((done) => {
        execFile('ip', ['netns', 'exec', ns[host], cmd, ...args], { timeout: timeoutMs, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
          done({ code: error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : 124) : 0, stdout, stderr });
        });
      }),
      spawn: (host, cmd, args, onLine) => {
        const child = spawn('ip', ['netns', 'exec', ns[host], cmd, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
        children.push(child);
        // Both streams: servers report readiness on either.
        for (const stream of [child.stdout!, child.stderr!]) {
          if (onLine) createInterface({ input: stream }).on('line', onLine);
          else stream.resume();
        }
        return child;
      },
      destroy,
    };
    lab.spawn('appliance', 'dnsmasq', ['--keep-in-foreground', `--conf-file=${conf}`, `--pid-file=${join(dir, 'dnsmasq.pid')}`, '--user=root']);

    // The phone: DHCP from the appliance's dnsmasq when busybox's client is here, else a static address.
    mkdirSync(`/etc/netns/${ns.phone}`, { recursive: true });
    writeFileSync(`/etc/netns/${ns.phone}/resolv.conf`, `nameserver ${ADDR.applianceHotspot}\n`);
    const script = join(dir, 'udhcpc.sh');
    writeFileSync(script, '#!/bin/sh\n[ "$1" = bound ] || exit 0\nip addr add "$ip/$mask" dev "$interface"\nip route add default via "$router" dev "$interface"\n', { mode: 0o755 });
    const dhcp = await lab.exec('phone', 'busybox', ['udhcpc', '-i', 'eth0', '-n', '-q', '-t', '5', '-T', '1', '-s', script], 15_000);
    if (dhcp.code === 0 && /inet 10\.42\.0\./.test(run('phone', 'ip', 'addr', 'show', 'eth0'))) {
      lab.addressing = 'dhcp';
    } else {
      run('phone', 'ip', 'addr', 'add', `${ADDR.phoneStatic}/24`, 'dev', 'eth0');
      run('phone', 'ip', 'route', 'add', 'default', 'via', ADDR.applianceHotspot);
    }

    // The lab CA signs the internet's sites; the appliance trusts it through its config.
    await loadOrCreateCa(join(dir, 'lab-ca'));
    writeFileSync(lab.intelFile, JSON.stringify({
      ranges: [
        { cidr: '10.99.0.0/24', asn: 45102, org: 'Alibaba Cloud', country: 'SG' },
        { cidr: '10.98.0.0/24', asn: 13335, org: 'Cloudflare, Inc.', country: 'US' },
      ],
    }));
    const internet: InternetConfig = { labCaDir: join(dir, 'lab-ca'), strangerCaDir: join(dir, 'stranger-ca'), news: ADDR.news, telemetry: ADDR.telemetry, untrusted: ADDR.untrusted };
    writeFileSync(join(dir, 'internet.json'), JSON.stringify(internet));
    return lab;
  } catch (error) {
    destroy();
    throw error;
  }
}

/** Starts a process and resolves once a stdout line satisfies `ready` (or rejects after `timeoutMs`). */
export function startAndWait(lab: Lab, host: Host, cmd: string, args: string[], ready: (line: string) => boolean, onLine: (line: string) => void = () => undefined, timeoutMs = 30_000): Promise<ChildProcess> {
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd} ${args.join(' ')} did not get ready in ${timeoutMs} ms`)), timeoutMs);
    const child = lab.spawn(host, cmd, args, (line) => {
      onLine(line);
      if (ready(line)) {
        clearTimeout(timer);
        resolveStart(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} exited with ${code} before it was ready`));
    });
  });
}
