import type { Alert, Attribution, Flow, OpaqueTelemetry, PlantedCanary, WebTracker } from '../model/index.js';
import { CONFIDENCE_RANK } from '../model/index.js';
import type { Intel } from '../intel/types.js';
import { registrableDomain } from '../intel/registrable-domain.js';
import type { Finding } from './alert-builder.js';
import { buildAlert } from './alert-builder.js';
import { confirmedFindings, suspectedFindings } from './findings.js';
import { formsOf } from './forms.js';
import { recogniseFormat } from './formats.js';
import { PatternSet } from './match.js';
import type { FreshValue, PatternRef, Remembered } from './memory.js';
import { DeviceMemory } from './memory.js';
import type { DetectorOptions } from './options.js';
import { resolveOptions } from './options.js';
import type { RecentFlow } from './recent.js';
import { windowsOf } from './recent.js';
import { WindowProbe } from './window-filter.js';
import { decodeRequest } from './request-leaves.js';
import type { RequestLeaf } from './request-leaves.js';
import { flowRole } from './roles.js';
import { linkingSiteOf, pageSiteOf, splitPageFindings } from './page-context.js';
import type { PageContext } from './page-context.js';
import { isSearchEngineHost, searchTermOf } from './search-engines.js';
import { spellingsOf } from './sent-before.js';
import { weighSearchTerm } from './weak-values.js';

/** Without the word lists (unit tests of other rules), only length makes a one-word search weak. */
const NO_COMMON_WORDS = (): boolean => false;

/** A host name worth remembering: not an IP literal, not a bare word, not too short. */
function hostIsName(host: string): boolean {
  return host.includes('.') && host.length >= 4 && !/^[\d.]+$|:/.test(host);
}

function* untouchedValues(leaves: readonly RequestLeaf[], touched: ReadonlySet<RequestLeaf>): Iterable<string> {
  for (const leaf of leaves) if (!touched.has(leaf)) yield (leaf.lower ??= leaf.text.toLowerCase());
}

export interface DetectorCounts {
  flows: number;
  navigations: number;
  pageRequests: number;
  appRequests: number;
  /** Requests whose decoding ran out of its time budget (options.decodeBudget.maxMillis): partly unread. */
  outOfTime: number;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** Shorter terms match by chance; two CJK characters are a word, though (`六四`). */
function searchTermCounts(term: string, minLength: number): boolean {
  const length = [...term].length;
  return length >= minLength || (length >= 2 && CJK.test(term));
}

/** Page/receiver pairs remembered as web trackers; the oldest go first. */
const MAX_WEB_TRACKERS = 5000;

/** Opaque payloads smaller than this are tokens and nonces, not telemetry worth listing. */
const OPAQUE_MIN_BYTES = 64;

/**
 * The detector façade: `observe(flow)` returns the alerts that flow raises. Pure: time comes from
 * `flow.time`, state lives in this instance, attribution comes from the injected Intel.
 */
export class Detector {
  readonly options: DetectorOptions;
  readonly counts: DetectorCounts = { flows: 0, navigations: 0, pageRequests: 0, appRequests: 0, outOfTime: 0 };
  private readonly devices = new Map<string, DeviceMemory>();
  private readonly attributions = new Map<string, Attribution>();
  private readonly opaque = new Map<string, OpaqueTelemetry>();
  private readonly trackers = new Map<string, WebTracker>();
  private readonly canaries = new PatternSet<PatternRef>(12);
  /** Each planted canary's patterns (all its forms), by its value. */
  private readonly canaryIds = new Map<string, number[]>();
  /** Planted canary pages and search phrases: loading or searching them is the test, not browsing to remember. */
  private readonly canaryBrowsing = new Set<string>();
  private readonly commonHosts: Set<string>;
  private readonly isCommonWord: (word: string) => boolean;

  constructor(
    private readonly intel: Intel,
    options: Partial<DetectorOptions> = {},
  ) {
    this.options = resolveOptions(options);
    this.commonHosts = new Set(this.options.commonHosts.map((h) => h.toLowerCase()));
    this.isCommonWord = this.options.isCommonWord ?? NO_COMMON_WORDS;
    for (const canary of this.options.canaries) this.addCanary(canary);
  }

  /**
   * Plants a canary: a value only a test the user started can have put in the browser (a token, a
   * page's URL or host, a search phrase). Seeing it in a request to a third party, in any form the
   * detector knows for its kind (encoded, hashed), proves the leak. Idempotent.
   */
  addCanary(canary: string | PlantedCanary): void {
    const planted: PlantedCanary = typeof canary === 'string' ? { value: canary, kind: 'token' } : canary;
    if (this.canaryIds.has(planted.value)) return;
    const kind = planted.kind === 'token' ? 'search' : planted.kind;
    const value: Remembered = { kind, value: planted.value, browsedUrl: '', site: undefined, time: 0, ...(planted.label ? { canary: planted.label } : {}) };
    const text = planted.value.toLowerCase();
    const forms = planted.kind === 'token' ? [{ form: 'canary', text, boundary: 'word' as const }] : formsOf(value);
    const ids = forms.flatMap((form) => this.canaries.add({ text: form.text, boundary: form.boundary, ref: { value, form } }) ?? []);
    this.canaryIds.set(planted.value, ids);
    if (planted.kind === 'url' || planted.kind === 'search') this.canaryBrowsing.add(text);
  }

  removeCanary(canary: string | PlantedCanary): void {
    const value = typeof canary === 'string' ? canary : canary.value;
    for (const id of this.canaryIds.get(value) ?? []) this.canaries.remove(id);
    this.canaryIds.delete(value);
    this.canaryBrowsing.delete(value.toLowerCase());
  }

  observe(flow: Flow): Alert[] {
    this.counts.flows++;
    const memory = this.memoryOf(flow.device);
    memory.expire(flow.time - this.options.windowMs);
    switch (flowRole(flow)) {
      case 'navigation':
        this.counts.navigations++;
        return this.rememberNavigation(memory, flow);
      case 'page':
        this.counts.pageRequests++;
        return this.inspect(memory, flow, memory.pageContext(pageSiteOf(flow)));
      case 'app':
        this.counts.appRequests++;
        return this.inspect(memory, flow, undefined);
    }
  }

  /** Pages seen reporting themselves to third parties, china-linked receivers first. */
  webTrackers(): WebTracker[] {
    return [...this.trackers.values()].map((t) => ({ ...t, kinds: [...t.kinds] })).sort((a, b) => Number(b.chinaLinked) - Number(a.chinaLinked) || b.count - a.count);
  }

  /** Encrypted or unreadable telemetry seen so far, by host and format. */
  opaqueTelemetry(): OpaqueTelemetry[] {
    return [...this.opaque.values()].sort((a, b) => Number(b.chinaLinked) - Number(a.chinaLinked) || b.count - a.count);
  }

  private memoryOf(device: string): DeviceMemory {
    let memory = this.devices.get(device);
    if (memory) {
      this.devices.delete(device);
    } else {
      memory = new DeviceMemory(this.options.maxValuesPerDevice, this.options.lookback);
      if (this.devices.size >= this.options.maxDevices) {
        const oldest = this.devices.keys().next();
        if (!oldest.done) this.devices.delete(oldest.value);
      }
    }
    this.devices.set(device, memory);
    return memory;
  }

  /** Remembers what a page load browsed, and returns leaks of it in app requests just before it. */
  private rememberNavigation(memory: DeviceMemory, flow: Flow): Alert[] {
    let url: URL;
    try {
      url = new URL(flow.url);
    } catch {
      return [];
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return [];
    const host = url.hostname.toLowerCase();
    const site = registrableDomain(host);
    const page = flow.url.split('#')[0]!;
    memory.noteNavigation(site, linkingSiteOf(flow, site));
    // A canary page is the test itself: its leaks are proven by the canary, not confirmed as browsing.
    if (this.canaryBrowsing.has(page.toLowerCase())) return [];
    const fresh: (FreshValue | undefined)[] = [];
    // The bare home page of a ubiquitous host (`https://www.google.com/`) is in countless SDK configs.
    const common = !this.hostCounts(host);
    if (!(common && /^https?:\/\/[^/]+\/?$/i.test(page))) fresh.push(memory.remember({ kind: 'url', value: page, browsedUrl: page, site }, flow.time));
    // A ubiquitous host, or a search engine's, is still where the user went: it counts in a field named for it.
    if (hostIsName(host)) fresh.push(memory.remember({ kind: 'host', value: host, browsedUrl: page, site, ...(common ? { weak: true } : {}) }, flow.time));
    const search = searchTermOf(url);
    if (search && searchTermCounts(search.term, this.options.minSearchTermLength) && !this.canaryBrowsing.has(search.term.toLowerCase())) {
      const { weak, shortCjk } = weighSearchTerm(search.term, this.isCommonWord);
      fresh.push(memory.remember({ kind: 'search', value: search.term, browsedUrl: page, site, ...(weak ? { weak } : {}), ...(shortCjk ? { shortCjk } : {}) }, flow.time));
    }
    return this.lookBack(memory, fresh.filter((v): v is FreshValue => v !== undefined), flow.time);
  }

  private lookBack(memory: DeviceMemory, values: FreshValue[], time: number): Alert[] {
    const recent = values.length > 0 ? memory.recent.since(time - this.options.lookback.ms) : [];
    if (recent.length === 0) return [];
    const patterns = new PatternSet<PatternRef>(12);
    const texts: string[] = [];
    for (const { value, forms } of values) {
      for (const form of forms) {
        if (patterns.add({ text: form.text, boundary: form.boundary, ref: { value, form } }) !== undefined) texts.push(form.text);
      }
    }
    const probe = new WindowProbe(texts);
    return recent.flatMap((r) => {
      // Most requests carry nothing of this page: their window filter says so at once, and one
      // scan of all their text when it cannot.
      const windows = windowsOf(r);
      if (!windows.mayHoldAny(probe) || patterns.scan(windows.text).length === 0) return [];
      return this.raise(r, this.leaksOf(memory, r, confirmedFindings(r.leaves, patterns, r.destSite, this.options.firstPartyExempt).findings));
    });
  }

  /** A host that is everywhere anyway (in SDK configs, a search engine's) is a weak browsing value. */
  private hostCounts(host: string): boolean {
    return hostIsName(host) && !this.commonHosts.has(host) && !isSearchEngineHost(host);
  }

  /**
   * Drops what the app already sent this destination before the value was browsed: a fixed list is
   * not caused by the browsing. A value first sent within the look-back window before the page load
   * is the report of that page load (telemetry recorded before the navigation it reports).
   */
  private notSentBefore(memory: DeviceMemory, destSite: string, findings: Finding[]): Finding[] {
    return findings.filter((f) => {
      if (f.browsedAt === undefined || (f.kind !== 'url' && f.kind !== 'host' && f.kind !== 'search')) return true;
      return !memory.sent.sentBefore(destSite, spellingsOf(f.kind, f.value), f.browsedAt - this.options.lookback.ms);
    });
  }

  /**
   * Decodes an app request, or a page request (`page`: whose page it is and what that page knows),
   * and raises what leaks. A page's reports of its own browsing to a third party are web trackers,
   * listed, not alerted; a page request is never merely suspected.
   */
  private inspect(memory: DeviceMemory, flow: Flow, page: PageContext | undefined): Alert[] {
    const destHost = flow.destination.host.toLowerCase();
    const destSite = registrableDomain(destHost) ?? destHost;
    const { leaves, largestOpaque, outOfTime } = decodeRequest(flow, this.options.maxBodyBytes, this.options.decodeBudget);
    if (outOfTime) this.counts.outOfTime++;
    if (!page) memory.noteAppHost(destHost);

    const format = recogniseFormat(flow, leaves.filter((l) => l.part === 'body'), leaves.filter((l) => l.part === 'query'));
    if (format?.encrypted || largestOpaque >= OPAQUE_MIN_BYTES) this.noteOpaque(flow, format?.format ?? 'encrypted or random payload');

    const proven = confirmedFindings(leaves, this.canaries, destSite, false, 'proven');
    const confirmed = confirmedFindings(leaves, memory.patterns, destSite, this.options.firstPartyExempt);
    const touched = new Set([...proven.touched, ...confirmed.touched]);
    const suspected = this.options.suspected && !page
      ? suspectedFindings(leaves, touched, destSite, { isAppHost: (h) => memory.isAppHost(h), known: (kind, value) => memory.has(kind, value), isCommonWord: this.isCommonWord })
      : [];
    const entry: RecentFlow = { flow, leaves, destSite, format: format?.format, emitted: new Map(), bytes: 0, ...(page ? { page } : {}) };
    const alerts = this.raise(entry, [...proven.findings, ...this.leaksOf(memory, entry, confirmed.findings), ...suspected]);
    // What carried nothing browsed is what this app sends anyway, browsing or not.
    if (!page) memory.sent.note(destSite, untouchedValues(leaves, touched), flow.time);
    memory.recent.add(entry);
    return alerts;
  }

  /**
   * The confirmed findings of a request that are leaks: not what the app sent that destination
   * before the browsing, and in a page's request not the page reporting itself (noted as a web
   * tracker when the receiver is a third party).
   */
  private leaksOf(memory: DeviceMemory, entry: RecentFlow, findings: Finding[]): Finding[] {
    let leaks = this.notSentBefore(memory, entry.destSite, findings);
    if (entry.page) {
      const split = splitPageFindings(leaks, entry.page);
      if (split.selfReports.length > 0 && entry.destSite !== entry.page.site) this.noteWebTracker(entry, split.selfReports);
      leaks = split.leaks;
    }
    return leaks;
  }

  private noteWebTracker(entry: RecentFlow, reports: readonly Finding[]): void {
    const page = entry.page?.site;
    if (page === undefined) return;
    const host = entry.flow.destination.host.toLowerCase();
    const key = `${page}\u0000${host}`;
    let tracker = this.trackers.get(key);
    if (!tracker) {
      if (this.trackers.size >= MAX_WEB_TRACKERS) this.trackers.delete(this.trackers.keys().next().value!);
      const destination = this.attribute(entry.flow);
      tracker = { page, host, chinaLinked: destination.chinaLinked, ...(destination.chinaLink ? { chinaLink: destination.chinaLink } : {}), kinds: [], count: 0, lastSeen: 0 };
      this.trackers.set(key, tracker);
    }
    tracker.count++;
    tracker.lastSeen = Math.max(tracker.lastSeen, entry.flow.time);
    for (const f of reports) if (!tracker.kinds.includes(f.kind)) tracker.kinds.push(f.kind);
  }

  /**
   * One alert per browsing value per request; the first finding (the strongest tier) wins. A value
   * first only suspected and later confirmed by a late page load is raised again, as confirmed.
   */
  private raise(entry: RecentFlow, findings: readonly Finding[]): Alert[] {
    if (findings.length === 0) return [];
    const alerts: Alert[] = [];
    let destination: Attribution | undefined;
    for (const f of findings) {
      const key = `${f.kind}\u0000${f.value}`;
      const before = entry.emitted.get(key);
      if (before !== undefined && CONFIDENCE_RANK[before] >= CONFIDENCE_RANK[f.confidence]) continue;
      entry.emitted.set(key, f.confidence);
      destination ??= this.attribute(entry.flow);
      alerts.push(buildAlert(entry.flow, { ...destination, reasons: [...destination.reasons] }, f, entry.format, this.options));
    }
    return alerts;
  }

  private attribute(flow: Flow): Attribution {
    const { host, ip, port } = flow.destination;
    const key = `${host}\u0000${ip ?? ''}\u0000${port}`;
    let found = this.attributions.get(key);
    if (!found) {
      if (this.attributions.size >= 10_000) this.attributions.clear();
      found = this.intel.attribute(host, ip, port);
      this.attributions.set(key, found);
    }
    return found;
  }

  private noteOpaque(flow: Flow, format: string): void {
    const host = flow.destination.host.toLowerCase();
    const key = `${host}\u0000${format}`;
    const existing = this.opaque.get(key);
    if (existing) existing.count++;
    else this.opaque.set(key, { host, format, count: 1, chinaLinked: this.attribute(flow).chinaLinked });
  }
}
