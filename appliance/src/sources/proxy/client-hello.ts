/**
 * The server name (SNI) in a TLS ClientHello, read from the first bytes a client sends, before any
 * TLS library touches the connection — so a pinned host can be passed through untouched.
 * Returns undefined when the bytes are not a ClientHello with SNI, or are incomplete.
 */
export function sniFromClientHello(b: Uint8Array): string | undefined {
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
  while (p + 4 <= extensionsEnd) {
    const type = (b[p]! << 8) | b[p + 1]!;
    const len = (b[p + 2]! << 8) | b[p + 3]!;
    p += 4;
    if (type === 0 && p + 5 <= extensionsEnd) {
      // server_name_list: length, then entries of (type 0 = host_name, length, name).
      const nameType = b[p + 2];
      const nameLen = (b[p + 3]! << 8) | b[p + 4]!;
      if (nameType !== 0 || p + 5 + nameLen > extensionsEnd) return undefined;
      return Buffer.from(b.subarray(p + 5, p + 5 + nameLen)).toString('ascii').toLowerCase();
    }
    p += len;
  }
  return undefined;
}
