import { isIPv4, isIPv6 } from 'node:net';

/** An address as numbers: IPv4 as one unsigned 32-bit value, IPv6 as four big-endian 32-bit words. */
export type ParsedIp = { v: 4; n: number } | { v: 6; words: [number, number, number, number] };

export function parseIp(text: string): ParsedIp | undefined {
  const ip = text.trim().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIPv4(ip)) return { v: 4, n: ipv4ToNumber(ip) };
  if (!isIPv6(ip)) return undefined;
  const words = ipv6ToWords(ip);
  // IPv4-mapped (::ffff:a.b.c.d) addresses are IPv4 addresses.
  if (words[0] === 0 && words[1] === 0 && words[2] === 0xffff) return { v: 4, n: words[3] };
  return { v: 6, words };
}

function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function ipv6ToWords(ip: string): [number, number, number, number] {
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipv4ToNumber(v4[1]!);
    text = `${text.slice(0, v4.index)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headParts = head ? head.split(':').filter((p) => p !== '') : [];
  const tailParts = tail ? tail.split(':').filter((p) => p !== '') : [];
  const fill = tail === undefined ? [] : new Array<string>(8 - headParts.length - tailParts.length).fill('0');
  const groups = [...headParts, ...fill, ...tailParts].map((g) => parseInt(g, 16));
  return [0, 1, 2, 3].map((i) => ((groups[i * 2]! << 16) | groups[i * 2 + 1]!) >>> 0) as [number, number, number, number];
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
