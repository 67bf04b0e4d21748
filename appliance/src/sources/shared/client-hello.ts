/**
 * What a TLS ClientHello asks for, read from the first bytes a client sends, before any TLS library
 * touches the connection: the server name (SNI) — so a pinned host can be passed through untouched
 * — the application protocols it offers (ALPN) — so HTTP/2 clients get an HTTP/2 server — and the
 * lists a JA4 fingerprint is made of.
 */
export interface ClientHello {
  sni?: string;
  alpn: string[];
  /** The handshake's legacy_version (0x0303 for TLS 1.2 and 1.3 alike). */
  legacyVersion: number;
  /** Wire order, GREASE included. */
  ciphers: number[];
  /** Extension types in wire order, GREASE included. */
  extensions: number[];
  /** signature_algorithms (13), in wire order. */
  signatureAlgorithms: number[];
  /** supported_versions (43), in wire order. */
  supportedVersions: number[];
}

export function sniFromClientHello(b: Uint8Array): string | undefined {
  return parseClientHello(b)?.sni;
}

const u16 = (b: Uint8Array, p: number) => (b[p]! << 8) | b[p + 1]!;

/** 16-bit values of a list that starts with a length of `lengthBytes` at `p`. */
function u16List(b: Uint8Array, p: number, lengthBytes: 1 | 2, end: number): number[] {
  if (p + lengthBytes > end) return [];
  const listEnd = Math.min(end, p + lengthBytes + (lengthBytes === 1 ? b[p]! : u16(b, p)));
  const values: number[] = [];
  for (let q = p + lengthBytes; q + 2 <= listEnd; q += 2) values.push(u16(b, q));
  return values;
}

/** Undefined when the bytes are not a (complete enough) ClientHello. */
export function parseClientHello(b: Uint8Array): ClientHello | undefined {
  // TLS record: type 22 (handshake), version, length; handshake type 1 (ClientHello).
  if (b.length < 43 || b[0] !== 0x16 || b[5] !== 0x01) return undefined;
  const end = Math.min(b.length, 5 + u16(b, 3));
  const legacyVersion = u16(b, 9);
  let p = 5 + 4 + 2 + 32; // handshake header, client version, random
  const skip = (lengthBytes: 1 | 2): boolean => {
    if (p + lengthBytes > end) return false;
    p += lengthBytes + (lengthBytes === 1 ? b[p]! : u16(b, p));
    return p <= end;
  };
  if (!skip(1)) return undefined; // session id
  const ciphers = u16List(b, p, 2, end);
  if (!skip(2) || !skip(1)) return undefined; // cipher suites, compression
  if (p + 2 > end) return undefined;
  const extensionsEnd = Math.min(end, p + 2 + u16(b, p));
  p += 2;
  const hello: ClientHello = { alpn: [], legacyVersion, ciphers, extensions: [], signatureAlgorithms: [], supportedVersions: [] };
  while (p + 4 <= extensionsEnd) {
    const type = u16(b, p);
    const len = u16(b, p + 2);
    p += 4;
    hello.extensions.push(type);
    if (type === 0 && p + 5 <= extensionsEnd) {
      // server_name_list: length, then entries of (type 0 = host_name, length, name).
      const nameLen = u16(b, p + 3);
      if (b[p + 2] === 0 && p + 5 + nameLen <= extensionsEnd) hello.sni = Buffer.from(b.subarray(p + 5, p + 5 + nameLen)).toString('ascii').toLowerCase();
    } else if (type === 16 && p + 2 <= extensionsEnd) {
      // protocol_name_list: length, then (length, name) entries.
      const listEnd = Math.min(extensionsEnd, p + 2 + u16(b, p));
      for (let q = p + 2; q < listEnd && q + 1 + b[q]! <= listEnd; q += 1 + b[q]!) hello.alpn.push(Buffer.from(b.subarray(q + 1, q + 1 + b[q]!)).toString('latin1'));
    } else if (type === 13) {
      hello.signatureAlgorithms = u16List(b, p, 2, Math.min(extensionsEnd, p + len));
    } else if (type === 43) {
      hello.supportedVersions = u16List(b, p, 1, Math.min(extensionsEnd, p + len));
    }
    p += len;
  }
  return hello;
}
