import { canonicalUrl } from './forms.js';

/**
 * What one device's apps already sent to each destination, and since when: an app that sends a
 * fixed list of hosts (share targets, an SDK's config) or a category word every time is not
 * leaking browsing when the user later visits or searches one of them. Only values short enough to
 * be such a list entry are kept (whole field values, and the URL- and host-like tokens in them), as
 * 53-bit hashes with the time first seen, bounded per destination and in destinations per device.
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

/** Two 32-bit FNV-1a hashes with different seeds, as one 53-bit number: collisions are negligible here. */
function hash(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
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
  private readonly byDestination = new Map<string, Map<number, number>>();

  constructor(private readonly limits: SentBeforeLimits = DEFAULT_LIMITS) {}

  /** Notes the values (lowercased) a request to `destSite` carried at `time`. */
  note(destSite: string, lowerValues: Iterable<string>, time: number): void {
    let seen = this.byDestination.get(destSite);
    if (seen) this.byDestination.delete(destSite);
    else {
      seen = new Map();
      if (this.byDestination.size >= this.limits.destinations) this.byDestination.delete(this.byDestination.keys().next().value!);
    }
    this.byDestination.set(destSite, seen);
    for (const value of lowerValues) {
      for (const key of sentKeys(value)) {
        const h = hash(key);
        const first = seen.get(h);
        // Seen again: moved to the back so a list sent over and over is never the one forgotten.
        if (first !== undefined) seen.delete(h);
        seen.set(h, first ?? time);
        if (seen.size > this.limits.valuesPerDestination) seen.delete(seen.keys().next().value!);
      }
    }
  }

  /** Whether any of these spellings of a value was sent to `destSite` before `cutoff`. */
  sentBefore(destSite: string, spellings: readonly string[], cutoff: number): boolean {
    const seen = this.byDestination.get(destSite);
    if (!seen) return false;
    return spellings.some((s) => {
      const first = seen.get(hash(s.toLowerCase()));
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
