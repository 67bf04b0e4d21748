import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntelNotBuiltError, intelDataDir } from './load.js';
import { isLocallyAdministered, normaliseMac } from './mac-address.js';

export interface MacVendor {
  /** The IEEE registrant (first line of its entry), absent for randomised or unassigned addresses. */
  vendor?: string;
  /** The registrant's country as IEEE lists it (`China`, `United States`). */
  country?: string;
  /** A locally administered (randomised, private) address: it names no manufacturer. */
  randomised: boolean;
}

/** IEEE assignment sizes, longest first: MA-S (36 bits), MA-M (28 bits), MA-L (24 bits, the classic OUI). */
const PREFIX_HEX_DIGITS = [9, 7, 6] as const;

/**
 * MAC → manufacturer from the IEEE registries (npm `oui-data`, compiled by `npm run build` into
 * sorted "PREFIX\tname\tcountry" lines). The text is kept as read, with the start of each line:
 * about 2.5 MB for 50,000 prefixes, where a Map of them took some 10 MB of the proxy thread's heap.
 */
export class MacVendors {
  private readonly starts: Uint32Array;

  constructor(private readonly table: string) {
    let count = 0;
    for (let at = table.indexOf('\n'); at >= 0; at = table.indexOf('\n', at + 1)) count++;
    this.starts = new Uint32Array(count);
    let line = 0;
    for (let at = 0; at < table.length && line < count; line++) {
      this.starts[line] = at;
      at = table.indexOf('\n', at) + 1;
    }
  }

  /** A table of the given prefixes (tests), each "name\tcountry". */
  static fromEntries(entries: Iterable<[string, string]>): MacVendors {
    return new MacVendors([...entries].map(([prefix, entry]) => `${prefix.toUpperCase()}\t${entry}`).sort().map((l) => `${l}\n`).join(''));
  }

  get size(): number {
    return this.starts.length;
  }

  lookup(macText: string): MacVendor {
    const mac = normaliseMac(macText);
    if (!mac) return { randomised: false };
    if (isLocallyAdministered(mac)) return { randomised: true };
    const hex = mac.replace(/:/g, '').toUpperCase();
    for (const digits of PREFIX_HEX_DIGITS) {
      const entry = this.find(hex.slice(0, digits));
      if (entry === undefined) continue;
      const [vendor, country] = entry.split('\t');
      return { randomised: false, ...(vendor ? { vendor } : {}), ...(country ? { country } : {}) };
    }
    return { randomised: false };
  }

  /** The "name\tcountry" of exactly this prefix, by binary search over the sorted lines. */
  private find(prefix: string): string | undefined {
    let low = 0;
    let high = this.starts.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const start = this.starts[mid]!;
      const tab = this.table.indexOf('\t', start);
      const key = this.table.slice(start, tab);
      if (key === prefix) return this.table.slice(tab + 1, this.table.indexOf('\n', tab));
      if (key < prefix) low = mid + 1;
      else high = mid - 1;
    }
    return undefined;
  }
}

/** Reads `dist/intel/oui.tsv` (about 2.5 MB, a few ms). */
export function loadMacVendors(dir = intelDataDir()): MacVendors {
  const file = join(dir, 'oui.tsv');
  if (!existsSync(file)) throw new IntelNotBuiltError(`MAC vendor table not built — run \`npm run build\` (looked for ${file})`);
  return new MacVendors(readFileSync(file, 'utf8'));
}
