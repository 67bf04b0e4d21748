/**
 * Compiles the offline IP databases shipped on npm into compact binary range tables, so the
 * appliance loads them in a fraction of a second and never needs the network at run time.
 *
 * Input (node_modules): @ip-location-db/asn (RouteViews + DB-IP, CC BY 4.0) and
 * @ip-location-db/geo-whois-asn-country (CC0), the `-num.csv` variants.
 * Output: dist/intel/*.bin + countries.json (see appliance/src/intel/load.ts).
 * Run by `npm run build` (and so by `npm install`).
 */
import { createReadStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { serialiseAsnRecords, serialiseOrgs } from '../src/intel/asn-records.js';
import { serialiseTable } from '../src/intel/ip-table.js';
import { RangeFlattener } from '../src/intel/flatten-ranges.js';
import { decimalToWords } from '../src/intel/ip.js';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** dist/intel, found from this script whether it runs from appliance/scripts (tsx) or dist/appliance/scripts. */
export function intelOutputDir(): string {
  const root = here.includes(`${join('dist', 'appliance')}`) ? resolve(here, '../../..') : resolve(here, '../..');
  return join(root, 'dist', 'intel');
}

function csvPath(pkg: string, file: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

/** start,end,rest… where rest may be a quoted field with "" escapes and commas. */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else value += line[i++];
      }
      out.push(value);
      i++;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

interface Collected {
  starts: number[];
  ends: number[];
  values: number[];
}

/** Reads one `-num.csv` file line by line into non-overlapping segments (see RangeFlattener). */
async function collect(file: string, v6: boolean, valueOf: (fields: string[]) => number): Promise<Collected> {
  const flattener = new RangeFlattener();
  let lineNumber = 0;
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    lineNumber++;
    if (line === '') continue;
    const fields = splitCsv(line);
    try {
      flattener.add(BigInt(fields[0]!), BigInt(fields[1]!), valueOf(fields));
    } catch (error) {
      throw new Error(`${file}:${lineNumber}: ${(error as Error).message}`, { cause: error });
    }
  }
  const rows: Collected = { starts: [], ends: [], values: [] };
  for (const { start, end, value } of flattener.finish()) {
    for (const word of words(start, v6)) rows.starts.push(word);
    for (const word of words(end, v6)) rows.ends.push(word);
    rows.values.push(value);
  }
  return rows;
}

function words(n: bigint, v6: boolean): number[] {
  return v6 ? decimalToWords(n.toString()) : [Number(n)];
}

function interner(): { index(s: string): number; list: string[] } {
  const map = new Map<string, number>();
  const list: string[] = [];
  return {
    list,
    index(s) {
      let i = map.get(s);
      if (i === undefined) {
        i = list.length;
        list.push(s);
        map.set(s, i);
      }
      return i;
    },
  };
}

export async function buildIntel(outDir = intelOutputDir()): Promise<{ ranges: number; bytes: number; seconds: number }> {
  const started = process.hrtime.bigint();
  mkdirSync(outDir, { recursive: true });
  const orgs = interner();
  const records = interner();
  const countries = interner();
  const asnValue = (f: string[]) => records.index(`${Number(f[2])}\u0000${orgs.index(f[3] ?? '')}`);
  const countryValue = (f: string[]) => countries.index(f[2] ?? '');
  const tables: [string, 1 | 4, Collected][] = [
    ['ipv4-asn.bin', 1, await collect(csvPath('@ip-location-db/asn', 'asn-ipv4-num.csv'), false, asnValue)],
    ['ipv6-asn.bin', 4, await collect(csvPath('@ip-location-db/asn', 'asn-ipv6-num.csv'), true, asnValue)],
    ['ipv4-country.bin', 1, await collect(csvPath('@ip-location-db/geo-whois-asn-country', 'geo-whois-asn-country-ipv4-num.csv'), false, countryValue)],
    ['ipv6-country.bin', 4, await collect(csvPath('@ip-location-db/geo-whois-asn-country', 'geo-whois-asn-country-ipv6-num.csv'), true, countryValue)],
  ];
  let bytes = 0;
  let ranges = 0;
  for (const [name, w, rows] of tables) {
    const buf = serialiseTable(w, rows.starts, rows.ends, rows.values);
    writeFileSync(join(outDir, name), buf);
    bytes += buf.length;
    ranges += rows.values.length;
  }
  const recordBuf = serialiseAsnRecords(records.list.map((r) => r.split('\u0000').map(Number) as [number, number]));
  const orgsBuf = serialiseOrgs(orgs.list);
  writeFileSync(join(outDir, 'asn-records.bin'), recordBuf);
  writeFileSync(join(outDir, 'orgs.bin'), orgsBuf);
  rmSync(join(outDir, 'orgs.json'), { force: true });
  writeFileSync(join(outDir, 'countries.json'), JSON.stringify(countries.list));
  bytes += recordBuf.length + orgsBuf.length;
  return { ranges, bytes, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/**
 * npm `oui-data` (the IEEE MA-L, MA-M and MA-S registries, prefix → "name\naddress…\ncountry")
 * → `oui.tsv`, one "PREFIX\tname\tcountry" line per prefix, sorted: the appliance needs neither the
 * street address nor the 5.6 MB it takes, and looks prefixes up by binary search in the text as
 * read, without turning 50,000 entries into objects (mac-vendors.ts).
 */
export function buildMacVendors(outDir = intelOutputDir()): number {
  const registry = require('oui-data') as Record<string, string>;
  const lines: string[] = [];
  for (const [prefix, entry] of Object.entries(registry)) {
    const fields = entry.split('\n').map((l) => l.trim()).filter(Boolean);
    if (fields.length === 0) continue;
    lines.push(`${prefix.toUpperCase()}\t${fields[0]!.replace(/[\t\n]/g, ' ')}\t${fields.length > 1 ? fields.at(-1)!.replace(/[\t\n]/g, ' ') : ''}`);
  }
  lines.sort();
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'oui.tsv'), `${lines.join('\n')}\n`);
  return lines.length;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { ranges, bytes, seconds } = await buildIntel();
  process.stdout.write(`intel: ${ranges} IP ranges, ${(bytes / 1048576).toFixed(1)} MB, built in ${seconds.toFixed(1)} s → ${intelOutputDir()}\n`);
  process.stdout.write(`intel: ${buildMacVendors()} MAC address prefixes (IEEE MA-L/MA-M/MA-S) → ${join(intelOutputDir(), 'oui.tsv')}\n`);
}
