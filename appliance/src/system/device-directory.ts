import { readFileSync, statSync } from 'node:fs';
import type { MacVendors } from '../intel/mac-vendors.js';
import type { DeviceIdentity } from '../model/index.js';
import { parseDnsmasqLeases } from './dhcp-leases.js';
import type { DhcpLease } from './dhcp-leases.js';
import { parseProcNetArp } from './neighbours.js';

export interface DeviceDirectoryOptions {
  vendors: MacVendors;
  /** dnsmasq's lease file; empty when there is no DHCP server of ours (explicit proxy on a laptop). */
  leaseFile: string;
  /** The kernel's IPv4 neighbour table. */
  neighbourFile?: string;
  /** How long an answer is reused before the files are looked at again. */
  refreshMs?: number;
  /** A file that could not be read, said once per file and cause. */
  onProblem?: (message: string) => void;
}

/**
 * Client IP → device (MAC, DHCP name, vendor), from dnsmasq's leases and the neighbour table. The
 * files are re-read only when an answer is older than `refreshMs` (and the lease file only when it
 * changed), so identifying every flow costs a map lookup.
 */
export class DeviceDirectory {
  private readonly answers = new Map<string, { identity: DeviceIdentity; at: number }>();
  private leases = new Map<string, DhcpLease>();
  private leaseFileVersion = '';
  private neighbours = new Map<string, string>();
  private neighboursAt = -Infinity;
  private readonly told = new Set<string>();

  constructor(private readonly options: DeviceDirectoryOptions) {}

  identify(ip: string, now = Date.now()): DeviceIdentity {
    const refreshMs = this.options.refreshMs ?? 10_000;
    const cached = this.answers.get(ip);
    if (cached && now - cached.at < refreshMs) return cached.identity;
    this.refreshLeases();
    if (now - this.neighboursAt >= Math.min(refreshMs, 1000)) this.refreshNeighbours(now);
    const lease = this.leases.get(ip);
    const liveLease = lease && (lease.expires === 0 || lease.expires > now) ? lease : undefined;
    const mac = liveLease?.mac ?? this.neighbours.get(ip);
    const identity: DeviceIdentity = { id: mac ?? ip, ip };
    if (mac) {
      identity.mac = mac;
      const vendor = this.options.vendors.lookup(mac);
      identity.randomisedMac = vendor.randomised;
      if (vendor.vendor) identity.vendor = vendor.vendor;
      if (vendor.country) identity.vendorCountry = vendor.country;
    }
    if (liveLease?.hostname) identity.hostname = liveLease.hostname;
    this.answers.set(ip, { identity, at: now });
    return identity;
  }

  private refreshLeases(): void {
    const file = this.options.leaseFile;
    if (!file) return;
    try {
      const stat = statSync(file);
      const version = `${stat.mtimeMs}:${stat.size}`;
      if (version === this.leaseFileVersion) return;
      this.leases = new Map(parseDnsmasqLeases(readFileSync(file, 'utf8')).map((l) => [l.ip, l]));
      this.leaseFileVersion = version;
    } catch (error) {
      this.tell(`cannot read the DHCP lease file ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): devices get no DHCP names; check devices.leaseFile`);
    }
  }

  private refreshNeighbours(now: number): void {
    const file = this.options.neighbourFile ?? '/proc/net/arp';
    this.neighboursAt = now;
    try {
      this.neighbours = parseProcNetArp(readFileSync(file, 'utf8'));
    } catch (error) {
      this.tell(`cannot read the neighbour table ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): devices without a DHCP lease are known by IP only`);
    }
  }

  private tell(message: string): void {
    if (this.told.has(message)) return;
    this.told.add(message);
    this.options.onProblem?.(message);
  }
}
