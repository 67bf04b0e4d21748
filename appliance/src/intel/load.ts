import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import networks from './data/china-networks.json' with { type: 'json' };
import owners from './data/domain-owners.json' with { type: 'json' };
import type { ChinaLinkPolicy, ChinaNetworkEntry } from './china-linked.js';
import { createIntel } from './intel.js';
import type { IpDatabase } from './ip-database.js';
import { openAsnRecords } from './asn-records.js';
import { fileSource } from './byte-source.js';
import { IntelNotBuiltError, intelDataDir } from './data-dir.js';
import { RangeTable } from './ip-table.js';
import { readOverlay } from './overlay.js';
import type { DomainOwner, Intel } from './types.js';


let cached: IpDatabase | undefined;

/**
 * Opens the compiled IP tables (about 20 MB on disk, looked up in place: see ip-table.ts); opening
 * reads the starts once to index them, a few milliseconds. Cached per process for the default
 * directory, since the CLI and the appliance open it once and tests many times.
 */
export function loadIpDatabase(dir = intelDataDir()): IpDatabase {
  if (cached && dir === intelDataDir()) return cached;
  if (!existsSync(join(dir, 'ipv4-asn.bin'))) {
    throw new IntelNotBuiltError(`IP database not built — run \`npm run build\` (looked for ${join(dir, 'ipv4-asn.bin')})`);
  }
  const open = (name: string) => fileSource(join(dir, name));
  const db: IpDatabase = {
    v4Asn: RangeTable.open(1, open('ipv4-asn.bin')),
    v6Asn: RangeTable.open(4, open('ipv6-asn.bin')),
    v4Country: RangeTable.open(1, open('ipv4-country.bin')),
    v6Country: RangeTable.open(4, open('ipv6-country.bin')),
    asnRecord: openAsnRecords(open('asn-records.bin'), open('orgs.bin')),
    countries: JSON.parse(readFileSync(join(dir, 'countries.json'), 'utf8')) as string[],
  };
  if (dir === intelDataDir()) cached = db;
  return db;
}

export interface LoadIntelOptions {
  /** `--intel FILE` overlays, applied in order on top of the built-in data. */
  overlayFiles?: readonly string[];
  /** Where the compiled IP tables are (default: dist/intel of this checkout). */
  databaseDir?: string;
  /** Which hosted-in reasons decide china-linked on their own (README "Who counts as china-linked"). */
  policy?: ChinaLinkPolicy;
}

/**
 * The built-in attribution data plus overlays. Async because overlay files are read with
 * fs/promises; the IP tables are read synchronously (one-time start-up cost). Throws
 * IntelNotBuiltError or IntelFileError with a message to act on.
 */
export async function loadIntel(options: LoadIntelOptions = {}): Promise<Intel> {
  const db = loadIpDatabase(options.databaseDir);
  const overlays = await Promise.all((options.overlayFiles ?? []).map((f) => readOverlay(f)));
  return createIntel({ db, owners: owners as DomainOwner[], networks: networks as ChinaNetworkEntry[], overlays, ...(options.policy ? { policy: options.policy } : {}) });
}

export { owners as builtInOwners, networks as builtInNetworks };
