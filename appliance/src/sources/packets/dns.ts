import { formatIpv4, formatIpv6 } from './ip-address.js';

/** What leakwatch reads from a DNS message: the names asked, and the addresses the answers gave. */
export interface DnsMessage {
  id: number;
  response: boolean;
  questions: string[];
  /** A and AAAA records: the owner name (after any CNAMEs) and the address. */
  addresses: { name: string; ip: string; ttl: number }[];
  /** CNAME records: alias → canonical name. */
  aliases: { name: string; target: string }[];
}

const TYPE_A = 1;
const TYPE_CNAME = 5;
const TYPE_AAAA = 28;
/** Compression pointers followed per name: more than any real name needs, so loops end. */
const MAX_POINTERS = 32;

/** Parses a DNS message (RFC 1035); undefined when the bytes are not one. */
export function parseDns(b: Uint8Array): DnsMessage | undefined {
  if (b.length < 12) return undefined;
  const flags = (b[2]! << 8) | b[3]!;
  const qd = (b[4]! << 8) | b[5]!;
  const an = (b[6]! << 8) | b[7]!;
  const message: DnsMessage = { id: (b[0]! << 8) | b[1]!, response: (flags & 0x8000) !== 0, questions: [], addresses: [], aliases: [] };
  let at = 12;
  for (let i = 0; i < qd; i++) {
    const name = readName(b, at);
    if (!name || name.end + 4 > b.length) return undefined;
    message.questions.push(name.name);
    at = name.end + 4;
  }
  for (let i = 0; i < an; i++) {
    const name = readName(b, at);
    if (!name || name.end + 10 > b.length) return message.questions.length > 0 ? message : undefined;
    const p = name.end;
    const type = (b[p]! << 8) | b[p + 1]!;
    const ttl = ((b[p + 4]! << 24) | (b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!) >>> 0;
    const length = (b[p + 8]! << 8) | b[p + 9]!;
    const data = p + 10;
    if (data + length > b.length) break;
    if (type === TYPE_A && length === 4) message.addresses.push({ name: name.name, ip: formatIpv4(b, data), ttl });
    else if (type === TYPE_AAAA && length === 16) message.addresses.push({ name: name.name, ip: formatIpv6(b, data), ttl });
    else if (type === TYPE_CNAME) {
      const target = readName(b, data);
      if (target) message.aliases.push({ name: name.name, target: target.name });
    }
    at = data + length;
  }
  return message;
}

/** A possibly compressed name at `at`; `end` is where the record continues. */
function readName(b: Uint8Array, at: number): { name: string; end: number } | undefined {
  const labels: string[] = [];
  let p = at;
  let end: number | undefined;
  for (let pointers = 0; ; ) {
    if (p >= b.length) return undefined;
    const length = b[p]!;
    if (length === 0) {
      end ??= p + 1;
      break;
    }
    if ((length & 0xc0) === 0xc0) {
      if (p + 1 >= b.length || ++pointers > MAX_POINTERS) return undefined;
      end ??= p + 2;
      p = ((length & 0x3f) << 8) | b[p + 1]!;
      continue;
    }
    if ((length & 0xc0) !== 0 || p + 1 + length > b.length) return undefined;
    labels.push(Buffer.from(b.buffer, b.byteOffset + p + 1, length).toString('latin1'));
    p += 1 + length;
  }
  return { name: labels.join('.').toLowerCase(), end };
}
