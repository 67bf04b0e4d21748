/**
 * The network lab: a phone, the appliance and "the internet" as network namespaces joined by veth
 * pairs, with the project's own nftables ruleset and dnsmasq in the appliance, as on the Pi.
 * Traffic stays inside these namespaces: the internet namespace has no route anywhere else.
 * Everything the lab makes is removed by destroy(), which also runs on exit, SIGINT and SIGTERM.
 */
import { execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCertificates } from './certificates.js';
import { startDnsmasq, writeDnsmasqConfig } from './dnsmasq.js';
import { EventLog } from './event-log.js';
import { cleanupStale, removeNamespace } from './host.js';
import type { InternetConfig, InternetEvent } from './internet-server.js';
import { renderInstall } from './installer.js';
import { buildNetwork, loadRuleset } from './network.js';
import { addressPhone } from './phone.js';
import { LabProcesses } from './processes.js';
import type { LineListener, StartOptions } from './processes.js';
import { ROOT } from './render.js';
import { ADDR, INTERNET_CONTROL, intelOverlay, namespaceNames } from './topology.js';
import type { Host } from './topology.js';

export interface LabOptions {
  /** The hotspot as a bridge with br_netfilter semantics (network.ts). */
  bridgedHotspot?: boolean;
  /** Every output line of every lab process, with its source (`<namespace> <program>`). */
  log?: (source: string, line: string) => void;
}

export interface ExecResult {
  /** The exit status; 124 when the command was killed for taking longer than `timeoutMs`. */
  code: number;
  stdout: string;
  stderr: string;
}

export interface Lab {
  runId: string;
  ns: Record<Host, string>;
  addresses: typeof ADDR & { phone: string };
  /** How the phone got its address: by DHCP from the appliance's dnsmasq, or static (no DHCP client). */
  addressing: 'dhcp' | 'static';
  paths: {
    dir: string;
    /** The lab CA (PEM) that signed the internet's sites: the appliance's extra upstream CA. */
    labCa: string;
    /** The `--intel` overlay that makes 10.99.0.0/24 Alibaba Cloud and 10.98.0.0/24 a US CDN. */
    intel: string;
    /** The installer's firewall table (loaded at start), its redirect table (loaded once the proxy is ready), and leakwatch's config. */
    ruleset: string;
    redirect: string;
    config: string;
    dnsmasqConf: string;
    leases: string;
  };
  /** Everything the internet's sites received, in order. */
  internet: EventLog<InternetEvent>;
  /** Runs a command inside a namespace and collects its output. Default time limit 20 s. */
  exec(host: Host, cmd: string, args: string[], options?: { timeoutMs?: number }): Promise<ExecResult>;
  /** A long-running process in a namespace; killed by destroy(). */
  spawn(host: Host, cmd: string, args: string[], onLine?: LineListener): ChildProcess;
  /** Starts a process in the appliance namespace (a proxy, leakwatch) and waits until it is ready. */
  startApplianceProcess(cmd: string, args: string[], options: StartOptions): Promise<ChildProcess>;
  /** Kills the lab's processes, deletes its namespaces and temp dir. Idempotent and synchronous. */
  destroy(): void;
}

const EXIT_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export async function createLab(options: LabOptions = {}): Promise<Lab> {
  cleanupStale();
  const runId = `${process.pid}-${randomBytes(2).toString('hex')}`;
  const ns = namespaceNames(runId);
  const dir = mkdtempSync(join(tmpdir(), `lw-${runId}-tmp-`));
  const processes = new LabProcesses(ROOT, options.log ?? (() => undefined));

  let destroyed = false;
  const onSignal = (signal: NodeJS.Signals) => {
    destroy();
    // Then die of the signal as if nobody had listened (other listeners still get their turn).
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    process.off('exit', destroy);
    for (const signal of EXIT_SIGNALS) process.off(signal, onSignal);
    processes.killAll();
    for (const name of Object.values(ns)) removeNamespace(name);
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', destroy);
  for (const signal of EXIT_SIGNALS) process.once(signal, onSignal);

  try {
    buildNetwork(ns, { bridgedHotspot: options.bridgedHotspot ?? false });
    const install = renderInstall(dir);
    loadRuleset(ns.appliance, install.nftables);
    const dns = writeDnsmasqConfig(dir, install.dnsmasq);
    await startDnsmasq(processes, ns.appliance, dns);
    const [phone, certificates] = await Promise.all([addressPhone(ns.phone, dir), makeCertificates(dir)]);

    const intel = join(dir, 'intel.json');
    writeFileSync(intel, JSON.stringify(intelOverlay, null, 2));
    const internetConfig: InternetConfig = {
      labCaDir: certificates.labCaDir, selfSigned: certificates.selfSigned,
      news: ADDR.news, telemetry: ADDR.telemetry, untrusted: ADDR.untrusted, control: INTERNET_CONTROL,
    };
    writeFileSync(join(dir, 'internet.json'), JSON.stringify(internetConfig));
    const internet = new EventLog<InternetEvent>();
    await processes.start(ns.internet, process.execPath, ['--import', 'tsx', 'test/lab/internet-server.ts', join(dir, 'internet.json')], {
      ready: (line) => line === '{"ready":true}',
      onLine: (line) => {
        if (line.startsWith('{"got"')) internet.push((JSON.parse(line) as { got: InternetEvent }).got);
      },
    });

    return {
      runId, ns, addresses: { ...ADDR, phone: phone.ip }, addressing: phone.addressing,
      paths: { dir, labCa: certificates.labCaFile, intel, ruleset: install.nftables, redirect: install.redirect, config: install.config, dnsmasqConf: dns.conf, leases: dns.leases },
      internet,
      exec: (host, cmd, args, { timeoutMs = 20_000 } = {}) => new Promise((done) => {
        execFile('ip', ['netns', 'exec', ns[host], cmd, ...args], { timeout: timeoutMs, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 124;
          done({ code, stdout, stderr });
        });
      }),
      spawn: (host, cmd, args, onLine) => processes.spawn(ns[host], cmd, args, onLine),
      startApplianceProcess: (cmd, args, startOptions) => processes.start(ns.appliance, cmd, args, startOptions),
      destroy,
    };
  } catch (error) {
    destroy();
    throw error;
  }
}

export { cleanupStale, labUnavailable } from './host.js';
export { ADDR, INTERNET_CONTROL, NAMES, PORTS } from './topology.js';
export type { Host } from './topology.js';
export type { InternetEvent } from './internet-server.js';
