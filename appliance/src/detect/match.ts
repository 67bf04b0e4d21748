import type { Boundary } from './forms.js';
import { rollHash, windowHash, windowPower } from './rolling-hash.js';

/**
 * Multi-pattern search over decoded text. Thousands of patterns (every form of every value a
 * device browsed) are searched in one pass: a rolling hash of a fixed-length window of the text is
 * looked up in a bitmap, and only bitmap hits are verified. STACK-NOTES measured this shape at
 * ~100 MB/s where npm Aho-Corasick packages ran at 7–23 MB/s; and unlike an automaton, patterns can
 * be added one at a time as the user browses.
 */
export interface Pattern<T> {
  /** Lowercase; at least MIN_PATTERN chars. */
  text: string;
  boundary: Boundary;
  ref: T;
}

export interface Hit<T> {
  start: number;
  end: number;
  pattern: Pattern<T>;
}

/** Two characters is the shortest pattern: enough for a CJK search term (`六四`), never for Latin text (see forms). */
export const MIN_PATTERN = 2;
const SHORT = 3;
/** Patterns at least this long are keyed by one window of this width (the look-back filter uses it too). */
export const LONG = 8;
const BITMAP_BITS = 20;
/**
 * Up to this many patterns, each is looked for with indexOf instead of the hashed windows. Measured
 * on the telemetry bench: a page load's ~30 forms scan recent requests faster hashed than one by one.
 */
const FEW_PATTERNS = 8;

interface Keyed<T> {
  pattern: Pattern<T>;
  offset: number;
  id: number;
}

class WindowIndex<T> {
  readonly bitmap: Uint8Array;
  readonly buckets = new Map<number, Keyed<T>[]>();
  readonly power: number;
  private readonly shift: number;
  constructor(
    readonly width: number,
    bits: number,
  ) {
    this.bitmap = new Uint8Array(1 << (bits - 3));
    this.shift = 32 - bits;
    this.power = windowPower(width);
  }

  add(entry: Keyed<T>, hash: number): void {
    const slot = hash >>> this.shift;
    this.bitmap[slot >>> 3]! |= 1 << (slot & 7);
    const list = this.buckets.get(hash);
    if (list) list.push(entry);
    else this.buckets.set(hash, [entry]);
  }

  hashOf(text: string, from: number): number {
    return windowHash(text, from, this.width);
  }

  scan(text: string, onCandidate: (entry: Keyed<T>, windowStart: number) => void): void {
    const n = text.length;
    const w = this.width;
    if (n < w || this.buckets.size === 0) return;
    const bitmap = this.bitmap;
    const shift = this.shift;
    let h = this.hashOf(text, 0);
    for (let i = 0; ; i++) {
      const slot = h >>> shift;
      if ((bitmap[slot >>> 3]! & (1 << (slot & 7))) !== 0) {
        const list = this.buckets.get(h);
        if (list) for (const entry of list) onCandidate(entry, i);
      }
      if (i + w >= n) break;
      h = rollHash(h, text.charCodeAt(i), text.charCodeAt(i + w), this.power);
    }
  }
}

/** The first place a long pattern's key window may start: past a URL scheme, which every URL shares. */
function keyOffset(text: string): number {
  const scheme = /^https?:\/\//.exec(text);
  if (scheme && text.length - scheme[0].length >= LONG) return scheme[0].length;
  return 0;
}

export class PatternSet<T> {
  private long: WindowIndex<T>;
  private short: WindowIndex<T>;
  private tiny: WindowIndex<T>;
  private dead = new Set<number>();
  private live = new Map<number, Pattern<T>>();
  private nextId = 0;

  /** `bitmapBits`: 20 (128 KiB per index) for a device's memory; a few values need far less. */
  constructor(private readonly bitmapBits = BITMAP_BITS) {
    this.long = new WindowIndex<T>(LONG, bitmapBits);
    this.short = new WindowIndex<T>(SHORT, bitmapBits);
    this.tiny = new WindowIndex<T>(MIN_PATTERN, bitmapBits);
  }

  get size(): number {
    return this.live.size;
  }

  /** Adds a pattern and returns its id (for remove). Patterns shorter than MIN_PATTERN are refused. */
  add(pattern: Pattern<T>): number | undefined {
    if (pattern.text.length < MIN_PATTERN) return undefined;
    const id = this.nextId++;
    this.live.set(id, pattern);
    this.index(pattern, id);
    return id;
  }

  remove(id: number): void {
    if (!this.live.delete(id)) return;
    this.dead.add(id);
    // Rebuild once dead entries outnumber live ones, so removal stays amortised O(1).
    if (this.dead.size > 1024 && this.dead.size > this.live.size) this.rebuild();
  }

  /** Every bounded occurrence of every pattern in `lowerText` (already lowercased), in text order. */
  scan(lowerText: string): Hit<T>[] {
    if (this.live.size <= FEW_PATTERNS) return this.scanEach(lowerText);
    const hits: Hit<T>[] = [];
    const check = (entry: Keyed<T>, windowStart: number) => {
      if (this.dead.has(entry.id)) return;
      const start = windowStart - entry.offset;
      const p = entry.pattern;
      if (start < 0 || !lowerText.startsWith(p.text, start)) return;
      const end = start + p.text.length;
      if (bounded(lowerText, start, end, p.boundary)) hits.push({ start, end, pattern: p });
    };
    this.long.scan(lowerText, check);
    this.short.scan(lowerText, check);
    this.tiny.scan(lowerText, check);
    return hits.sort((a, b) => a.start - b.start || b.end - a.end);
  }

  /**
   * A handful of patterns (a canary's forms):
   * the engine's native substring search beats three rolling-hash passes over the text.
   */
  private scanEach(lowerText: string): Hit<T>[] {
    const hits: Hit<T>[] = [];
    for (const p of this.live.values()) {
      for (let start = lowerText.indexOf(p.text); start >= 0; start = lowerText.indexOf(p.text, start + 1)) {
        const end = start + p.text.length;
        if (bounded(lowerText, start, end, p.boundary)) hits.push({ start, end, pattern: p });
      }
    }
    return hits.sort((a, b) => a.start - b.start || b.end - a.end);
  }

  private index(pattern: Pattern<T>, id: number): void {
    if (pattern.text.length >= LONG) {
      const offset = this.leastSharedWindow(pattern.text);
      this.long.add({ pattern, offset, id }, this.long.hashOf(pattern.text, offset));
    } else if (pattern.text.length >= SHORT) {
      this.short.add({ pattern, offset: 0, id }, this.short.hashOf(pattern.text, 0));
    } else {
      this.tiny.add({ pattern, offset: 0, id }, this.tiny.hashOf(pattern.text, 0));
    }
  }

  /**
   * Where to key a long pattern: pages of one site share their start (`www.bbc.co.uk/news/…`), and
   * keying them all there would make every occurrence of that start verify against every page the
   * device opened on the site. Of the start (past the scheme), the middle and the end, the window
   * whose bucket holds the fewest patterns so far is taken.
   */
  private leastSharedWindow(text: string): number {
    const first = keyOffset(text);
    const last = text.length - LONG;
    let best = first;
    let bestSize = Infinity;
    for (const offset of [first, last, (first + last) >> 1]) {
      const size = this.long.buckets.get(this.long.hashOf(text, offset))?.length ?? 0;
      if (size < bestSize) {
        best = offset;
        bestSize = size;
      }
      if (size === 0) break;
    }
    return best;
  }

  private rebuild(): void {
    this.long = new WindowIndex<T>(LONG, this.bitmapBits);
    this.short = new WindowIndex<T>(SHORT, this.bitmapBits);
    this.tiny = new WindowIndex<T>(MIN_PATTERN, this.bitmapBits);
    this.dead.clear();
    for (const [id, pattern] of this.live) this.index(pattern, id);
  }
}

const URL_CHAR = /[a-z0-9\-._~%/]/;
const HOST_CHAR = /[a-z0-9\-_]/;
const HEX_CHAR = /[0-9a-f]/;
const BASE64_CHAR = /[a-z0-9+/_-]/;
const WORD_CHAR = /[\p{L}\p{N}_]/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** Whether the text around [start, end) lets this be a whole occurrence rather than part of something longer. */
export function bounded(text: string, start: number, end: number, boundary: Boundary): boolean {
  const before = start > 0 ? text[start - 1]! : '';
  const after = end < text.length ? text[end]! : '';
  switch (boundary) {
    case 'url': {
      if (after === '' || !URL_CHAR.test(after)) return true;
      // One trailing slash is the same page (`/news/a` vs `/news/a/`); more path is another page.
      const next = end + 1 < text.length ? text[end + 1]! : '';
      return after === '/' && (next === '' || !URL_CHAR.test(next));
    }
    case 'bare-url': {
      if (after === '?' || after === '#') return false;
      return bounded(text, start, end, 'url');
    }
    case 'base64':
      return !(before !== '' && BASE64_CHAR.test(before)) && !(after !== '' && BASE64_CHAR.test(after));
    case 'host': {
      if (before !== '' && (HOST_CHAR.test(before) || before === '.')) return false;
      if (after === '') return true;
      if (HOST_CHAR.test(after)) return false;
      // `bbc.com.evil.example` is another host; `bbc.com.` at a sentence end is not.
      return !(after === '.' && end + 1 < text.length && HOST_CHAR.test(text[end + 1]!));
    }
    case 'hex':
      return !(before !== '' && HEX_CHAR.test(before)) && !(after !== '' && HEX_CHAR.test(after));
    case 'word': {
      const first = text[start]!;
      const last = text[end - 1]!;
      const beforeOk = before === '' || CJK.test(first) || !WORD_CHAR.test(before);
      const afterOk = after === '' || CJK.test(last) || !WORD_CHAR.test(after);
      return beforeOk && afterOk;
    }
  }
}
