import type { DomainOwner } from './types.js';

/**
 * Who owns a host, by the longest listed suffix: `sa.api.intl.miui.com` → the `miui.com` entry;
 * `mistat.intl.xiaomi.com.edgesuite.net` → its own entry (Xiaomi), not `edgesuite.net` (Akamai).
 */
export class DomainOwners {
  private readonly bySuffix = new Map<string, DomainOwner>();

  constructor(entries: readonly DomainOwner[]) {
    for (const e of entries) this.bySuffix.set(e.domain.toLowerCase().replace(/\.$/, ''), e);
  }

  lookup(host: string): DomainOwner | undefined {
    const labels = host.toLowerCase().replace(/\.$/, '').split('.');
    for (let i = 0; i < labels.length - 1; i++) {
      const found = this.bySuffix.get(labels.slice(i).join('.'));
      if (found) return found;
    }
    return undefined;
  }
}
