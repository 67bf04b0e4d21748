import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ByteSource } from './byte-source.js';
import { bufferSource, fileSource } from './byte-source.js';
import { IntelNotBuiltError, intelDataDir } from './data-dir.js';
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
 * sorted "PREFIX\tname\tcountry" lines), searched where it lies (the file, read by position: see
 * byte-source.ts) with only the start of each line in memory: about 200 KB for 50,000 prefixes,
 * where the text took 4 MB of the main thread's heap and a Map of it some 10 MB.
 */
export class MacVendors {
  /** Byte offset of each line, and one past the end. */
  private readonly starts: Uint32Array;

  constructor(private readonly table: ByteSource) {
    const starts: number[] = [];
    let lineStart = 0;
    for (let block = 0; block < table.size; block += SCAN_BLOCK) {
      const bytes = table.read(block, Math.min(SCAN_BLOCK, table.size - block));
      for (let at = bytes.indexOf(NEWLINE); at >= 0; at = bytes.indexOf(NEWLINE, at + 1)) {
        starts.push(lineStart);
        lineStart = block + at + 1;
      }
    }
    starts.push(lineStart);
    this.starts = Uint32Array.from(starts);
  }

  /** A table of the given prefixes (tests), each "name\tcountry". */
  static fromEntries(entries: Iterable<[string, string]>): MacVendors {
    const text = [...entries].map(([prefix, entry]) => `${prefix.toUpperCase()}\t${entry}`).sort().map((l) => `${l}\n`).join('');
    return new MacVendors(bufferSource(Buffer.from(text, 'utf8')));
  }

  get size(): number {
    return this.starts.length - 1;
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

  /** The "name\tcountry" of exactly this prefix, by binary search over the sorted lines (ASCII keys: byte order is text order). */
  private find(prefix: string): string | undefined {
    let low = 0;
    let high = this.size - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const start = this.starts[mid]!;
      const line = this.table.read(start, this.starts[mid + 1]! - start - 1).toString('utf8');
      const tab = line.indexOf('\t');
      const key = tab < 0 ? line : line.slice(0, tab);
      if (key === prefix) return tab < 0 ? '' : line.slice(tab + 1);
      if (key < prefix) low = mid + 1;
      else high = mid - 1;
    }
    return undefined;
  }
}

const NEWLINE = 0x0a;
const SCAN_BLOCK = 65536;

/** Opens `dist/intel/oui.tsv` (about 2.5 MB; indexing its lines takes a few ms). */
export function loadMacVendors(dir = intelDataDir()): MacVendors {
  const file = join(dir, 'oui.tsv');
  if (!existsSync(file)) throw new IntelNotBuiltError(`MAC vendor table not built — run \`npm run build\` (looked for ${file})`);
  return new MacVendors(fileSource(file));
}
