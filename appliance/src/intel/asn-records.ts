import type { ByteSource } from './byte-source.js';
import { toLittleEndian } from './ip-table.js';

/** What an ASN table's value stands for. */
export interface AsnRecord {
  asn: number;
  org?: string;
}

/**
 * The ASN tables' values index records, read where they lie like the tables (ip-table.ts):
 * `asn-records.bin` holds (asn, organisation index) pairs of little-endian u32, `orgs.bin` the
 * deduplicated organisation names as [count u32][count + 1 offsets u32][UTF-8 text].
 */
export function serialiseAsnRecords(records: readonly (readonly [asn: number, org: number])[]): Buffer {
  return toLittleEndian(new Uint32Array(records.flat()));
}

export function serialiseOrgs(names: readonly string[]): Buffer {
  const texts = names.map((n) => Buffer.from(n, 'utf8'));
  const header = new Uint32Array(1 + names.length + 1);
  header[0] = names.length;
  let offset = 0;
  texts.forEach((t, i) => {
    header[1 + i] = offset;
    offset += t.length;
  });
  header[1 + names.length] = offset;
  return Buffer.concat([toLittleEndian(header), ...texts]);
}

/** The record of an ASN table value, or undefined past the end. Throws a RangeError on a malformed orgs file. */
export function openAsnRecords(records: ByteSource, orgs: ByteSource): (value: number) => AsnRecord | undefined {
  const count = orgs.size >= 4 ? orgs.read(0, 4).readUInt32LE(0) : -1;
  const textAt = 4 * (count + 2);
  if (count < 0 || orgs.size < textAt || textAt + orgs.read(4 * (count + 1), 4).readUInt32LE(0) !== orgs.size) {
    throw new RangeError(`organisation names file is ${orgs.size} bytes, which its header does not account for`);
  }
  if (records.size % 8 !== 0) throw new RangeError(`ASN records file is ${records.size} bytes, not whole (asn, organisation) pairs`);
  return (value) => {
    if (value < 0 || (value + 1) * 8 > records.size) return undefined;
    const pair = records.read(value * 8, 8);
    const asn = pair.readUInt32LE(0);
    const org = pair.readUInt32LE(4);
    if (org >= count) return { asn };
    const bounds = orgs.read(4 * (1 + org), 8);
    const start = bounds.readUInt32LE(0);
    const end = bounds.readUInt32LE(4);
    const name = orgs.read(textAt + start, end - start).toString('utf8');
    return name ? { asn, org: name } : { asn };
  };
}
