import { LONG } from './match.js';
import { rollHash, windowHash, windowPower } from './rolling-hash.js';

/** Filter bits per window of the text: with two bits each, a window not in it passes 1.4 % of the time. */
const BITS_PER_WINDOW = 16;
const POWER = windowPower(LONG);

/** The two filter bits of a window hash, for a filter of 2^bits bits. */
function firstBit(h: number, mask: number): number {
  return (h ^ (h >>> 15)) & mask;
}
function secondBit(h: number, mask: number): number {
  return (Math.imul(h, 0x9e3779b1) >>> 11) & mask;
}

/**
 * Which LONG-character windows a text holds, as a Bloom filter of their rolling hashes. A request
 * kept for look-back is checked against every page the device loads in the next minute; with this
 * made once per request, most checks cost a few bit tests instead of a pass over all its text.
 * It is exact in one direction: a text that holds a pattern always passes.
 */
export class WindowFilter {
  private readonly bits: Uint32Array;
  private readonly mask: number;

  constructor(readonly text: string) {
    const windows = Math.max(0, text.length - LONG + 1);
    let size = 64;
    while (size < windows * BITS_PER_WINDOW) size *= 2;
    this.bits = new Uint32Array(size >>> 5);
    this.mask = size - 1;
    if (windows === 0) return;
    const bits = this.bits;
    const mask = this.mask;
    let h = windowHash(text, 0, LONG);
    for (let i = 0; ; i++) {
      const a = firstBit(h, mask);
      const b = secondBit(h, mask);
      bits[a >>> 5]! |= 1 << (a & 31);
      bits[b >>> 5]! |= 1 << (b & 31);
      if (i + LONG >= text.length) break;
      h = rollHash(h, text.charCodeAt(i), text.charCodeAt(i + LONG), POWER);
    }
  }

  /** Bytes this filter holds. */
  get bytes(): number {
    return this.bits.byteLength;
  }

  /** False only when the text holds none of the probe's patterns. */
  mayHoldAny(probe: WindowProbe): boolean {
    for (const short of probe.short) if (this.text.includes(short)) return true;
    const { hashes } = probe;
    for (let i = 0; i < hashes.length; i += 2) if (this.hasWindow(hashes[i]!) && this.hasWindow(hashes[i + 1]!)) return true;
    return false;
  }

  private hasWindow(h: number): boolean {
    const a = firstBit(h, this.mask);
    const b = secondBit(h, this.mask);
    return (this.bits[a >>> 5]! & (1 << (a & 31))) !== 0 && (this.bits[b >>> 5]! & (1 << (b & 31))) !== 0;
  }
}

/**
 * Patterns made ready for WindowFilter checks: a long one by the hashes of its first and last
 * windows (a text that holds it holds both), a short one as itself (looked for with includes).
 */
export class WindowProbe {
  readonly short: string[] = [];
  readonly hashes: number[] = [];

  constructor(patterns: Iterable<string>) {
    for (const text of patterns) {
      if (text.length < LONG) this.short.push(text);
      else this.hashes.push(windowHash(text, 0, LONG), windowHash(text, text.length - LONG, LONG));
    }
  }
}
