/**
 * What a TLS ClientHello asks for, read from the first bytes a client sends, before any TLS library
 * touches the connection: the server name (SNI) — so a pinned host can be passed through untouched
 * — and the application protocols it offers (ALPN) — so HTTP/2 clients get an HTTP/2 server.
 */
export interface ClientHello {
  sni?: string;
  alpn: string[];
}

export function sniFromClientHello(b: Uint8Array): string | undefined {
  return parseClientHello(b)?.sni;
}

/** Undefined when the bytes are not a (complete enough) ClientHello. */
export function parseClientHello(b: Uint8Array): ClientHello | undefined {
  // TLS record: type 22 (handshake), version, length; handshake type 1 (ClientHello).
  if (b.length < 43 || b[0] !== 0x16 || b[5] !== 0x01) return undefined;
  const end = Math.min(b.length, 5 + ((b[3]! << 8) | b[4]!));
  let p = 5 + 4 + 2 + 32; // handshake header, client version, random
  const skip = (lengthBytes: 1 | 2): boolean => {
    if (p + lengthBytes > end) return false;
    const len = lengthBytes === 1 ? b[p]! : (b[p]! << 8) | b[p + 1]!;
    p += lengthBytes + len;
    return p <= end;
  };
  if (!skip(1) || !skip(2) || !skip(1)) return undefined; // session id, cipher suites, compression
  if (p + 2 > end) return undefined;
  const extensionsEnd = Math.min(end, p + 2 + ((b[p]! << 8) | b[p + 1]!));
  p += 2;
  const hello: ClientHello = { alpn: [] };
  while (p + 4 <= extensionsEnd) {
    const type = (b[p]! << 8) | b[p + 1]!;
    const len = (b[p + 2]! << 8) | b[p + 3]!;
    p += 4;
    if (type === 0 && p + 5 <= extensionsEnd) {
      // server_name_list: length, then entries of (type 0 = host_name, length, name).
      const nameLen = (b[p + 3]! << 8) | b[p + 4]!;
      if (b[p + 2] === 0 && p + 5 + nameLen <= extensionsEnd) hello.sni = Buffer.from(b.subarray(p + 5, p + 5 + nameLen)).toString('ascii').toLowerCase();
    } else if (type === 16 && p + 2 <= extensionsEnd) {
      // protocol_name_list: length, then (length, name) entries.
      const listEnd = Math.min(extensionsEnd, p + 2 + ((b[p]! << 8) | b[p + 1]!));
      for (let q = p + 2; q < listEnd && q + 1 + b[q]! <= listEnd; q += 1 + b[q]!) hello.alpn.push(Buffer.from(b.subarray(q + 1, q + 1 + b[q]!)).toString('ascii'));
    }
    p += len;
  }
  return hello;
}
