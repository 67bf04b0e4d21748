import { isUtf8 } from 'node:buffer';
import type { Outcome, TextCodec } from './codec.js';
import { NOT_MINE, fail } from './codec.js';

const gbk = new TextDecoder('gbk');
const ESCAPE = /%[0-9A-Fa-f]{2}/;

function hasEscapes(text: string): boolean {
  return ESCAPE.test(text);
}

/**
 * Percent-decodes to bytes, then reads them as UTF-8, falling back to GBK (Baidu, 360 and Sogou
 * still send GB2312 search terms). Malformed escapes are kept as they are. `plus` reads `+` as a
 * space, as form encoding does.
 */
export function percentDecode(text: string, plus = false): string {
  if (!text.includes('%')) return plus ? text.replace(/\+/g, ' ') : text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25 && i + 2 < text.length && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (plus && c === 0x2b) {
      bytes.push(0x20);
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      for (const b of Buffer.from(text[i]!, 'utf8')) bytes.push(b);
    }
  }
  const buf = Buffer.from(bytes);
  return isUtf8(buf) ? buf.toString('utf8') : gbk.decode(buf);
}

/** Undoes percent-encoding, repeatedly (`%2525` → `%25` → `%`), as one step. */
export function decodePercent(text: string): Outcome {
  let current = text;
  for (let round = 0; round < 4 && hasEscapes(current); round++) {
    const next = percentDecode(current);
    if (next === current) break;
    current = next;
  }
  if (current === text) return fail('invalid', 'no percent escapes');
  return { ok: true, children: [{ kind: 'text', text: current, step: { codec: 'percent' } }], bytes: current.length };
}

export const percent: TextCodec = {
  name: 'percent',
  sniff: (text) => (text.includes('%') && hasEscapes(text) ? 50 : NOT_MINE),
  decode: (text) => decodePercent(text),
};
