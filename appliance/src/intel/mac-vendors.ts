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

/** MAC → manufacturer from the IEEE registries (npm `oui-data`, compiled by `npm run build`). */
export class MacVendors {
  constructor(private readonly registry: ReadonlyMap<string, string>) {}

  get size(): number {
    return this.registry.size;
  }

  lookup(macText: string): MacVendor {
    const mac = normaliseMac(macText);
    if (!mac) return { randomised: false };
    if (isLocallyAdministered(mac)) return { randomised: true };
    const hex = mac.replace(/:/g, '').toUpperCase();
    for (const digits of PREFIX_HEX_DIGITS) {
      const entry = this.registry.get(hex.slice(0, digits));
      if (entry === undefined) continue;
      const [vendor, country] = entry.split('\t');
      return { randomised: false, ...(vendor ? { vendor } : {}), ...(country ? { country } : {}) };
    }
    return { randomised: false };
  }
}

/** Reads `dist/intel/oui.json` (about 2.4 MB, ~25 ms). */
export function loadMacVendors(dir = intelDataDir()): MacVendors {
  const file = join(dir, 'oui.json');
  if (!existsSync(file)) throw new IntelNotBuiltError(`MAC vendor table not built — run \`npm run build\` (looked for ${file})`);
  const table = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  return new MacVendors(new Map(Object.entries(table)));
}
