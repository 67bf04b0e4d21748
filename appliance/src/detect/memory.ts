import type { CanaryLabel } from '../model/index.js';
import type { BrowsingValue, ValueForm } from './forms.js';
import { formsOf } from './forms.js';
import { PatternSet } from './match.js';
import { RecentFlows } from './recent.js';
import { SentBefore } from './sent-before.js';
import type { PageContext } from './page-context.js';

const MAX_LINKED_PAGES = 512;
const MAX_LINKS_PER_PAGE = 16;

/** A value this device browsed, with when and through which page. */
export interface Remembered extends BrowsingValue {
  time: number;
  /** The navigation that made it a browsing value. */
  browsedUrl: string;
  /** Registrable domain of the browsed page (for the first-party rule). */
  site: string | undefined;
  /** A planted canary's test, when this is one. */
  canary?: CanaryLabel;
  /** Also something apps send for their own reasons (a common word, a search engine's host): counts only in its own kind of field. */
  weak?: boolean;
  /** A search term of three CJK characters or fewer: not counted inside a longer CJK sentence. */
  shortCjk?: boolean;
}

export interface PatternRef {
  value: Remembered;
  form: ValueForm;
}

interface Entry {
  value: Remembered;
  patternIds: number[];
}

/** A value remembered for the first time, with the forms it is now searched in. */
export interface FreshValue {
  value: Remembered;
  forms: ValueForm[];
}

/**
 * What one device browsed, bounded by count and by age. Re-browsing a value refreshes it.
 * The pattern set holds every form of every value, ready for one-pass matching.
 */
export class DeviceMemory {
  readonly patterns = new PatternSet<PatternRef>();
  private readonly entries = new Map<string, Entry>();
  /** Hosts this device's own apps talked to (not pages): URLs there are app traffic, not browsing. */
  private readonly appHosts = new Set<string>();
  readonly recent: RecentFlows;
  /** What this device's apps sent each destination before it browsed anything in it. */
  readonly sent = new SentBefore();
  /** The last page load's site: page traffic that names no page (no Referer, no Origin) is its. */
  private lastPageSite: string | undefined;
  /** Per page site, the sites whose pages linked to it (their URL is its `document.referrer`). */
  private readonly linkedFrom = new Map<string, Set<string>>();

  constructor(
    private readonly maxValues: number,
    lookback: { flows: number; bytes: number },
    private readonly maxAppHosts = 2000,
  ) {
    this.recent = new RecentFlows(lookback.flows, lookback.bytes);
  }

  get size(): number {
    return this.entries.size;
  }

  has(kind: BrowsingValue['kind'], value: string): boolean {
    return this.entries.has(key(kind, value));
  }

  /** Remembers a browsed value; returns it and its forms when it is new (not a refresh of a known one). */
  remember(value: Omit<Remembered, 'time'>, time: number): FreshValue | undefined {
    const k = key(value.kind, value.value);
    const existing = this.entries.get(k);
    if (existing) {
      existing.value.time = time;
      existing.value.browsedUrl = value.browsedUrl;
      this.entries.delete(k);
      this.entries.set(k, existing);
      return undefined;
    }
    const remembered: Remembered = { ...value, time };
    const patternIds: number[] = [];
    const forms = formsOf(value);
    for (const form of forms) {
      const id = this.patterns.add({ text: form.text, boundary: form.boundary, ref: { value: remembered, form } });
      if (id !== undefined) patternIds.push(id);
    }
    this.entries.set(k, { value: remembered, patternIds });
    while (this.entries.size > this.maxValues) this.evictOldest();
    return { value: remembered, forms };
  }

  /** Forgets values browsed before `cutoff` (entries are in refresh order, oldest first). */
  expire(cutoff: number): void {
    for (const [k, entry] of this.entries) {
      if (entry.value.time >= cutoff) break;
      this.drop(k, entry);
    }
  }

  noteAppHost(host: string): void {
    this.appHosts.delete(host);
    this.appHosts.add(host);
    if (this.appHosts.size > this.maxAppHosts) {
      const oldest = this.appHosts.values().next();
      if (!oldest.done) this.appHosts.delete(oldest.value);
    }
  }

  isAppHost(host: string): boolean {
    return this.appHosts.has(host);
  }

  /** A page load on `site`, linked from `linkingSite` (its Referer's site) when another site. */
  noteNavigation(site: string | undefined, linkingSite: string | undefined): void {
    this.lastPageSite = site;
    if (site === undefined || linkingSite === undefined) return;
    let from = this.linkedFrom.get(site);
    if (from) this.linkedFrom.delete(site);
    else {
      from = new Set();
      if (this.linkedFrom.size >= MAX_LINKED_PAGES) this.linkedFrom.delete(this.linkedFrom.keys().next().value!);
    }
    this.linkedFrom.set(site, from);
    if (from.size < MAX_LINKS_PER_PAGE) from.add(linkingSite);
  }

  /** What a page request may carry: the browsing of its page's site and of the sites that linked to it. */
  pageContext(namedSite: string | undefined): PageContext {
    const site = namedSite ?? this.lastPageSite;
    if (site === undefined) return { site, knows: new Set() };
    return { site, knows: new Set([site, ...(this.linkedFrom.get(site) ?? [])]) };
  }

  private evictOldest(): void {
    const first = this.entries.entries().next();
    if (!first.done) this.drop(first.value[0], first.value[1]);
  }

  private drop(k: string, entry: Entry): void {
    for (const id of entry.patternIds) this.patterns.remove(id);
    this.entries.delete(k);
  }
}

function key(kind: string, value: string): string {
  return `${kind}\u0000${value}`;
}
