/**
 * dnsmasq in the appliance namespace: the installer's rendering of provisioning/dnsmasq/leakwatch.conf,
 * plus a lab-only file that names the lab's sites and keeps DNS from asking anyone outside.
 */
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabProcesses } from './processes.js';
import { ADDR, NAMES } from './topology.js';

export interface DnsmasqFiles {
  conf: string;
  labConf: string;
  leases: string;
  pid: string;
}

/** `rendered` is the installer's dnsmasq file, whose lease file is `dir`/dnsmasq.leases (labInstallSettings). */
export function writeDnsmasqConfig(dir: string, rendered: string): DnsmasqFiles {
  const files = { conf: rendered, labConf: join(dir, 'dnsmasq-lab.conf'), leases: join(dir, 'dnsmasq.leases'), pid: join(dir, 'dnsmasq.pid') };
  writeFileSync(files.labConf, [
    '# The lab only: no upstream servers and no /etc/hosts, so every answer is one of these names.',
    'no-resolv',
    'no-hosts',
    '# No other hosts share the lab hotspot: skip the 3 s ping check before each DHCP offer.',
    'no-ping',
    `address=/${NAMES.news}/${ADDR.news}`,
    `address=/${NAMES.telemetry}/${ADDR.telemetry}`,
    `address=/${NAMES.untrusted}/${ADDR.untrusted}`,
    '',
  ].join('\n'));
  return files;
}

/** Starts dnsmasq in the foreground, logging to stderr, and waits until its DHCP range is up. */
export function startDnsmasq(processes: LabProcesses, applianceNs: string, files: DnsmasqFiles): Promise<ChildProcess> {
  return processes.start(applianceNs, 'dnsmasq', [
    '--keep-in-foreground', '--log-facility=-', `--conf-file=${files.conf}`, `--conf-file=${files.labConf}`, `--pid-file=${files.pid}`,
    // Root keeps the lease file in the lab's private temp dir writable.
    '--user=root',
  ], { ready: (line) => line.includes('DHCP, IP range'), timeoutMs: 10_000 });
}
