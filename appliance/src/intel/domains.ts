import type { DomainOwner } from './types.js';

/**
 * Who owns a host, by the longest listed suffix: `sa.api.intl.miui.com` → the `miui.com` entry;
 * `mistat.intl.xiaomi.com.edgesuite.net` → its own entry (Xiaomi), not `edgesuite.net` (Akamai).
 */
export class DomainOwners<Entry extends DomainOwner = DomainOwner> {
  private readonly bySuffix = new Map<string, Entry>();

  /** Later entries replace earlier ones for the same domain. */
  constructor(entries: readonly Entry[]) {
    for (const e of entries) this.bySuffix.set(e.domain.toLowerCase().replace(/\.$/, ''), e);
  }

  lookup(host: string): Entry | undefined {
    const labels = host.toLowerCase().replace(/\.$/, '').split('.');
    for (let i = 0; i < labels.length - 1; i++) {
      const found = this.bySuffix.get(labels.slice(i).join('.'));
      if (found) return found;
    }
    return undefined;
  }
}
