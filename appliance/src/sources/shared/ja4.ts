import { createHash } from 'node:crypto';
import type { ClientHello } from './client-hello.js';

/** GREASE values (RFC 8701: 0x0a0a, 0x1a1a … 0xfafa) are random by design and left out of fingerprints. */
export function isGrease(value: number): boolean {
  return (value & 0x0f0f) === 0x0a0a && value >> 8 === (value & 0xff);
}

const VERSIONS: Record<number, string> = { 0x0304: '13', 0x0303: '12', 0x0302: '11', 0x0301: '10', 0x0300: 's3', 0x0002: 's2' };

const hex4 = (v: number) => v.toString(16).padStart(4, '0');
const count2 = (n: number) => String(Math.min(n, 99)).padStart(2, '0');
const hash12 = (text: string) => (text === '' ? '000000000000' : createHash('sha256').update(text).digest('hex').slice(0, 12));
const alphanumeric = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** First and last character of the first ALPN value; its hex's when either is not alphanumeric; `00` without ALPN. */
function alpnPart(alpn: readonly string[]): string {
  const first = alpn[0];
  if (!first) return '00';
  const a = first.charCodeAt(0);
  const z = first.charCodeAt(first.length - 1);
  if (alphanumeric(a) && alphanumeric(z)) return `${first[0]}${first.at(-1)}`;
  const hex = Buffer.from(first, 'latin1').toString('hex');
  return `${hex[0]}${hex.at(-1)}`;
}

/**
 * The JA4 TLS client fingerprint (FoxIO, BSD-3-Clause spec): which client software made a
 * connection, stable across Chrome's extension-order shuffling. `t13d1516h2_8daaf6152771_…`:
 * transport, version, SNI or not, cipher and extension counts, ALPN; a hash of the sorted ciphers;
 * a hash of the sorted extensions (without SNI and ALPN) and the signature algorithms in order.
 */
export function ja4(hello: ClientHello, transport: 't' | 'q' = 't'): string {
  const ciphers = hello.ciphers.filter((c) => !isGrease(c));
  const extensions = hello.extensions.filter((e) => !isGrease(e));
  const versions = hello.supportedVersions.filter((v) => !isGrease(v));
  const version = VERSIONS[versions.length > 0 ? Math.max(...versions) : hello.legacyVersion] ?? '00';
  const prefix = `${transport}${version}${extensions.includes(0) ? 'd' : 'i'}${count2(ciphers.length)}${count2(extensions.length)}${alpnPart(hello.alpn)}`;
  const sortedCiphers = ciphers.map(hex4).sort().join(',');
  const sortedExtensions = extensions.filter((e) => e !== 0x0000 && e !== 0x0010).map(hex4).sort().join(',');
  const signatures = hello.signatureAlgorithms.filter((s) => !isGrease(s)).map(hex4).join(',');
  const extensionText = signatures ? `${sortedExtensions}_${signatures}` : sortedExtensions;
  return `${prefix}_${hash12(sortedCiphers)}_${hash12(extensionText)}`;
}
