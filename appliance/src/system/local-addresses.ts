import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/** How long a reading of the machine's addresses is trusted: the hotspot's address can come up late. */
const FRESH_MS = 5000;

/**
 * The IP addresses of this machine (the appliance) other than loopback, for telling a phone's traffic to the
 * appliance itself — its page, its API, the admin login — from its browsing, which is recorded.
 */
export class LocalAddresses {
  private addresses = new Set<string>();
  private readAt = -Infinity;

  constructor(private readonly read: () => string[] = machineAddresses) {}

  has(ip: string | undefined, now = Date.now()): boolean {
    if (!ip) return false;
    const bare = ip.replace(/^::ffff:/, '');
    // A host name (the proxy asks with what the phone named) is never one of these: no reading.
    if (isIP(bare) === 0) return false;
    if (now - this.readAt > FRESH_MS || (!this.addresses.has(bare) && now - this.readAt > 250)) {
      this.addresses = new Set(this.read());
      this.readAt = now;
    }
    return this.addresses.has(bare);
  }
}

function machineAddresses(): string[] {
  // Loopback is left out: no phone reaches the appliance there, and on a laptop running the proxy
  // (explicit mode) local test servers are browsing like any other.
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).filter((a) => !a.internal).map((a) => a.address));
}
