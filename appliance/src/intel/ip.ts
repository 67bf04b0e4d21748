/**
 * IP address text → numbers, by hand rather than with node:net's isIP + split: attribution parses
 * an address per flow, and this single pass is several times faster. Accepts what node:net
 * accepts (dotted-quad IPv4 without leading zeros, RFC 4291 IPv6 text incl. an embedded IPv4
 * tail), plus `[…]` brackets and a `%zone` suffix, which are dropped.
 */

/** An address as numbers: IPv4 as one unsigned 32-bit value, IPv6 as four big-endian 32-bit words. */
export type ParsedIp = { v: 4; n: number } | { v: 6; words: [number, number, number, number] };

export function parseIp(text: string): ParsedIp | undefined {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 32) start++;
  while (end > start && text.charCodeAt(end - 1) <= 32) end--;
  if (text.charCodeAt(start) === 91 /* [ */ && text.charCodeAt(end - 1) === 93 /* ] */) {
    start++;
    end--;
  }
  const zone = text.indexOf('%', start);
  if (zone >= 0 && zone < end) end = zone;
  if (text.indexOf(':', start) < 0 || text.indexOf(':', start) >= end) {
    const n = parseIpv4(text, start, end);
    return n === undefined ? undefined : { v: 4, n };
  }
  const words = parseIpv6(text, start, end);
  if (!words) return undefined;
  // IPv4-mapped (::ffff:a.b.c.d) addresses are IPv4 addresses.
  if (words[0] === 0 && words[1] === 0 && words[2] === 0xffff) return { v: 4, n: words[3] };
  return { v: 6, words };
}

function parseIpv4(text: string, start: number, end: number): number | undefined {
  let n = 0;
  let parts = 0;
  let i = start;
  while (parts < 4) {
    const first = i;
    let part = 0;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      part = part * 10 + (c - 48);
      i++;
    }
    const digits = i - first;
    if (digits === 0 || digits > 3 || part > 255 || (digits > 1 && text.charCodeAt(first) === 48)) return undefined;
    n = n * 256 + part;
    parts++;
    if (parts < 4) {
      if (text.charCodeAt(i) !== 46 /* . */ || i >= end) return undefined;
      i++;
    }
  }
  return i === end ? n : undefined;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function parseIpv6(text: string, start: number, end: number): [number, number, number, number] | undefined {
  const groups: number[] = [];
  let gap = -1;
  let i = start;
  if (text.startsWith('::', i)) {
    gap = 0;
    i += 2;
    if (i === end) return toWords(groups, gap);
  } else if (text.charCodeAt(i) === 58) return undefined;
  for (;;) {
    const first = i;
    let group = 0;
    while (i < end && i - first < 5) {
      const h = hexValue(text.charCodeAt(i));
      if (h < 0) break;
      group = group * 16 + h;
      i++;
    }
    if (i < end && text.charCodeAt(i) === 46 /* . */) {
      // An IPv4 tail (::ffff:1.2.3.4) fills the last two groups.
      const v4 = parseIpv4(text, first, end);
      if (v4 === undefined || groups.length > 6) return undefined;
      groups.push(Math.floor(v4 / 65536), v4 & 0xffff);
      break;
    }
    if (i === first || i - first > 4) return undefined;
    groups.push(group);
    if (i === end) break;
    if (text.charCodeAt(i) !== 58 /* : */) return undefined;
    i++;
    if (text.charCodeAt(i) === 58) {
      if (gap >= 0) return undefined;
      gap = groups.length;
      i++;
      if (i === end) break;
    } else if (i === end) return undefined;
  }
  return toWords(groups, gap);
}

function toWords(groups: number[], gap: number): [number, number, number, number] | undefined {
  if (gap < 0 ? groups.length !== 8 : groups.length > 7) return undefined;
  const full = gap < 0 ? groups : [...groups.slice(0, gap), ...new Array<number>(8 - groups.length).fill(0), ...groups.slice(gap)];
  return [0, 1, 2, 3].map((k) => (full[k * 2]! * 65536 + full[k * 2 + 1]!) >>> 0) as [number, number, number, number];
}

/** Words of a 128-bit decimal number (the -num.csv files write IPv6 that way). */
export function decimalToWords(decimal: string): [number, number, number, number] {
  let n = BigInt(decimal);
  const words = [0, 0, 0, 0] as [number, number, number, number];
  for (let i = 3; i >= 0; i--) {
    words[i] = Number(n & 0xffffffffn);
    n >>= 32n;
  }
  return words;
}

export interface Cidr {
  v: 4 | 6;
  /** First and last address, as words (IPv4 uses one word). */
  first: number[];
  last: number[];
  prefix: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text.trim());
  if (!m) return undefined;
  const ip = parseIp(m[1]!);
  const prefix = Number(m[2]);
  if (!ip) return undefined;
  const words = ip.v === 4 ? [ip.n] : [...ip.words];
  const bits = words.length * 32;
  if (prefix > bits || (ip.v === 4 && m[1]!.includes(':'))) return undefined;
  const first = words.map((w, i) => {
    const keep = Math.max(0, Math.min(32, prefix - i * 32));
    const mask = keep === 0 ? 0 : (0xffffffff << (32 - keep)) >>> 0;
    return (w & mask) >>> 0;
  });
  const last = first.map((w, i) => {
    const keep = Math.max(0, Math.min(32, prefix - i * 32));
    const host = keep === 32 ? 0 : (0xffffffff >>> keep) >>> 0;
    return (w | host) >>> 0;
  });
  return { v: ip.v, first, last, prefix };
}

export function compareWords(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}
