import type { AsnRecord } from './asn-records.js';
import type { ParsedIp } from './ip.js';
import type { RangeTable } from './ip-table.js';
import { isSpecialPurpose } from './special-addresses.js';
import type { NetworkInfo } from './types.js';

/** The offline IP database, as opened tables. Absent tables mean "unknown", not an error. */
export interface IpDatabase {
  v4Asn?: RangeTable;
  v6Asn?: RangeTable;
  v4Country?: RangeTable;
  v6Country?: RangeTable;
  /** What an ASN table's value stands for. */
  asnRecord(value: number): AsnRecord | undefined;
  /** Country codes; the country tables' values index this list. */
  countries: readonly string[];
}

/** What the database says about one address; undefined when it knows nothing or the address is private or reserved. */
export function lookupDatabase(db: IpDatabase, ip: ParsedIp): NetworkInfo | undefined {
  if (isSpecialPurpose(ip)) return undefined;
  const words = ip.v === 4 ? [ip.n] : ip.words;
  const info: NetworkInfo = {};
  const value = (ip.v === 4 ? db.v4Asn : db.v6Asn)?.find(words) ?? -1;
  const record = value >= 0 ? db.asnRecord(value) : undefined;
  if (record) {
    info.asn = record.asn;
    if (record.org) info.org = record.org;
  }
  const country = (ip.v === 4 ? db.v4Country : db.v6Country)?.find(words) ?? -1;
  const code = country >= 0 ? db.countries[country] : undefined;
  if (code) info.country = code;
  return info.asn !== undefined || info.country !== undefined ? info : undefined;
}
