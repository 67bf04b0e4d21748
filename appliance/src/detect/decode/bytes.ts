/** Byte-level facts the codecs share: is it text, is it random, does it start with a known magic. */

import { isUtf8 } from 'node:buffer';

/** C0 controls except tab, newline and return; DEL; the replacement character. */
// eslint-disable-next-line no-control-regex -- finding control characters is this pattern's job
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/;

/** Share of control characters (other than tab, newline and carriage return): text has none. */
function controlRatio(text: string): number {
  // The native regex scan settles the common case (no control character at all) fast.
  if (text.length > 0 && !CONTROL.test(text)) return 0;
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f || c === 0xfffd) control++;
  }
  return text.length === 0 ? 1 : control / text.length;
}

/** The bytes as a string when they are valid UTF-8 with (almost) no control characters. */
export function asText(bytes: Uint8Array, maxControlRatio = 0.02): string | undefined {
  if (bytes.length === 0) return '';
  // isUtf8 validates natively without throwing; a fatal TextDecoder would build an exception per binary.
  if (!isUtf8(bytes)) return undefined;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return controlRatio(text) <= maxControlRatio ? text : undefined;
}

/** Shannon entropy in bits per byte, on at most the first `sample` bytes. */
export function entropy(bytes: Uint8Array, sample = 4096): number {
  const n = Math.min(bytes.length, sample);
  if (n === 0) return 0;
  const counts = new Uint32Array(256);
  for (let i = 0; i < n; i++) counts[bytes[i]!]!++;
  let h = 0;
  for (const c of counts) {
    if (c === 0) continue;
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * Looks encrypted or random: entropy close to the maximum the length allows (a 64-byte sample
 * cannot reach 8 bits per byte, so the bar scales with the length).
 */
export function looksRandom(bytes: Uint8Array): boolean {
  if (bytes.length < 32 || printableRatio(bytes) > 0.6) return false;
  const ceiling = Math.log2(Math.min(bytes.length, 256));
  return entropy(bytes) >= 0.87 * ceiling;
}

/** Share of printable ASCII (and tab, newline, return): about 0.37 for random bytes, near 1 for text. */
function printableRatio(bytes: Uint8Array, sample = 4096): number {
  const n = Math.min(bytes.length, sample);
  let printable = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if ((b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d) printable++;
  }
  return n === 0 ? 0 : printable / n;
}

export const isGzip = (b: Uint8Array): boolean => b.length >= 10 && b[0] === 0x1f && b[1] === 0x8b && b[2] === 0x08;
export const isZstd = (b: Uint8Array): boolean => b.length >= 6 && b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd;

/** RFC 1950 header: deflate method, window ≤ 32K, header checksum divisible by 31, no preset dictionary. */
export function isZlib(b: Uint8Array): boolean {
  if (b.length < 6) return false;
  const cmf = b[0]!;
  const flg = b[1]!;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0 && (flg & 0x20) === 0;
}

/**
 * Where a gzip stream starts inside a short binary frame header (Alibaba UT puts 8 bytes of
 * framing before its gzip), or -1. Offset 0 is the plain case.
 */
export function framedGzipOffset(b: Uint8Array, maxOffset = 16): number {
  for (let i = 1; i <= maxOffset && i + 10 <= b.length; i++) {
    if (b[i] === 0x1f && b[i + 1] === 0x8b && b[i + 2] === 0x08) return i;
  }
  return -1;
}

export function hasCompressionMagic(b: Uint8Array): boolean {
  return isGzip(b) || isZlib(b) || isZstd(b);
}
