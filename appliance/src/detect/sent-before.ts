import { canonicalUrl } from './forms.js';

/**
 * What one device's apps already sent to each destination, and since when: an app that sends a
 * fixed list of hosts (share targets, an SDK's config) or a category word every time is not
 * leaking browsing when the user later visits or searches one of them. Only values short enough to
 * be such a list entry are kept (whole field values, and the URL- and host-like tokens in them), as
 * 30-bit hashes with the time first seen, bounded per destination and in destinations per device.
 */
export interface SentBeforeLimits {
  destinations: number;
  valuesPerDestination: number;
}

const DEFAULT_LIMITS: SentBeforeLimits = { destinations: 32, valuesPerDestination: 2048 };

/** Longer values are payloads (events, documents), not list entries. */
const MAX_VALUE = 512;
const HOST_LIKE = /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/;
/** Numbers, flags and ids are never a browsed value: not worth keeping. */
const HAS_LETTER = /[a-z\u00c0-\uffff]/;
const ID_LIKE = /^(?:[0-9a-f-]{16,}|[a-z0-9_+/=-]{24,}|true|false|null)$/;

function spacesAtLeast(text: string, n: number): boolean {
  let at = -1;
  for (let i = 0; i < n; i++) if ((at = text.indexOf(' ', at + 1)) < 0) return false;
  return true;
}

/**
 * A 30-bit FNV-1a hash, finished with a multiply-xorshift: small enough to be a small integer for
 * the engine (a Map keyed by it stores no boxed number). With at most 2,048 values kept per
 * destination, a browsed value's spellings collide with one by chance about 6 times in a million
 * page loads — and a collision only drops that one alert, never raises one.
 */
function hash(text: string): number {
  let a = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) a = Math.imul(a ^ text.charCodeAt(i), 0x01000193);
  a = Math.imul(a ^ (a >>> 16), 0x45d9f3b);
  return (a ^ (a >>> 16)) & 0x3fffffff;
}

/**
 * Hashes and the time each was first sent, least recently sent forgotten first, in two generations:
 * new and repeated values go to the young one, and when it holds half the limit it becomes the old
 * one (the previous old one is dropped). A list sent over and over is copied forward each time and
 * never forgotten; no Map entry is moved per value, which is what a strict LRU would cost.
 */
class SentValues {
  private young = new Map<number, number>();
  private old = new Map<number, number>();

  constructor(private readonly half: number) {}

  firstSent(h: number): number | undefined {
    return this.young.get(h) ?? this.old.get(h);
  }

  note(h: number, time: number): void {
    if (this.young.has(h)) return;
    this.young.set(h, this.old.get(h) ?? time);
    if (this.young.size >= this.half) {
      this.old = this.young;
      this.young = new Map();
    }
  }
}

function hostOf(url: string): string | undefined {
  const m = /^https?:\/\/([^/?#:@\s]+)/.exec(url);
  return m?.[1];
}

/** The keys a sent value is kept under: the value, and for URLs and hosts their usual spellings. */
export function sentKeys(lowerValue: string): string[] {
  if (lowerValue.length > MAX_VALUE || !HAS_LETTER.test(lowerValue)) return [];
  // A sentence (more than three words) is no list entry and no weak search; only the hosts and URLs in it are.
  const sentence = spacesAtLeast(lowerValue, 3);
  if (sentence && !lowerValue.includes('.')) return [];
  const value = lowerValue.trim();
  if (value === '' || ID_LIKE.test(value)) return [];
  const keys = sentence ? [] : [value];
  const tokens = /\s|,|;|\|/.test(value) ? value.split(/[\s,;|]+/).filter((t) => t !== '' && t !== value) : [];
  for (const token of [value, ...tokens]) {
    if (token.startsWith('http://') || token.startsWith('https://')) {
      keys.push(token, canonicalUrl(token), token.split('#')[0]!);
      const host = hostOf(token);
      if (host) keys.push(host, host.replace(/^www\./, ''));
    } else if (HOST_LIKE.test(token)) keys.push(token, token.replace(/^www\./, ''));
  }
  return keys;
}

export class SentBefore {
  private readonly byDestination = new Map<string, SentValues>();

  constructor(private readonly limits: SentBeforeLimits = DEFAULT_LIMITS) {}

  /** Notes the values (lowercased) a request to `destSite` carried at `time`. */
  note(destSite: string, lowerValues: Iterable<string>, time: number): void {
    let seen = this.byDestination.get(destSite);
    if (seen) this.byDestination.delete(destSite);
    else {
      seen = new SentValues(Math.ceil(this.limits.valuesPerDestination / 2));
      if (this.byDestination.size >= this.limits.destinations) this.byDestination.delete(this.byDestination.keys().next().value!);
    }
    this.byDestination.set(destSite, seen);
    for (const value of lowerValues) for (const key of sentKeys(value)) seen.note(hash(key), time);
  }

  /** Whether any of these spellings of a value was sent to `destSite` before `cutoff`. */
  sentBefore(destSite: string, spellings: readonly string[], cutoff: number): boolean {
    const seen = this.byDestination.get(destSite);
    if (!seen) return false;
    return spellings.some((s) => {
      const first = seen.firstSent(hash(s.toLowerCase()));
      return first !== undefined && first < cutoff;
    });
  }
}

/** The spellings a browsed value would have been kept under, had an app sent it. */
export function spellingsOf(kind: 'url' | 'host' | 'search', value: string): string[] {
  const lower = value.trim().toLowerCase();
  switch (kind) {
    case 'url':
      return [lower, canonicalUrl(value), lower.split('#')[0]!];
    case 'host':
      return [lower, lower.replace(/^www\./, '')];
    case 'search':
      return [lower];
  }
}
