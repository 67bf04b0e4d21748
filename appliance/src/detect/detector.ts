import type { Alert, Attribution, Confidence, Flow, LeakKind, OpaqueTelemetry } from '../model/index.js';
import { formatPath } from '../model/index.js';
import type { Intel } from '../intel/types.js';
import { registrableDomain } from '../intel/registrable-domain.js';
import { decode } from './decode/index.js';
import type { Leaf } from './decode/types.js';
import { suspect } from './classify.js';
import { alertId, cloneSteps, excerptAround } from './evidence.js';
import { recogniseFormat } from './formats.js';
import type { Hit } from './match.js';
import { PatternSet } from './match.js';
import type { PatternRef } from './memory.js';
import { DeviceMemory } from './memory.js';
import type { DetectorOptions } from './options.js';
import { resolveOptions } from './options.js';
import { renameQuerySteps, requestParts } from './parts.js';
import { flowRole } from './roles.js';
import { isSearchEngineHost, searchTermOf } from './search-engines.js';
import { selectHits } from './select.js';

export interface DetectorCounts {
  flows: number;
  navigations: number;
  pageRequests: number;
  appRequests: number;
}

/** A leaf of one request, tagged with the part it came from. */
interface RequestLeaf extends Leaf {
  part: 'query' | 'body' | 'other';
}

const OPAQUE_MIN_BYTES = 64;

/**
 * The detector façade: `observe(flow)` returns the alerts that flow raises. Pure: time comes from
 * `flow.time`, state lives in this instance, attribution comes from the injected Intel.
 */
export class Detector {
  readonly options: DetectorOptions;
  readonly counts: DetectorCounts = { flows: 0, navigations: 0, pageRequests: 0, appRequests: 0 };
  private readonly devices = new Map<string, DeviceMemory>();
  private readonly attributions = new Map<string, Attribution>();
  private readonly opaque = new Map<string, OpaqueTelemetry>();
  private readonly canaries = new PatternSet<PatternRef>();
  private readonly commonHosts: Set<string>;

  constructor(
    private readonly intel: Intel,
    options: Partial<DetectorOptions> = {},
  ) {
    this.options = resolveOptions(options);
    this.commonHosts = new Set(this.options.commonHosts.map((h) => h.toLowerCase()));
    for (const canary of this.options.canaries) {
      const value = { kind: 'search' as const, value: canary, browsedUrl: '', site: undefined, time: 0 };
      this.canaries.add({ text: canary.toLowerCase(), boundary: 'word', ref: { value, form: { form: 'canary', text: canary.toLowerCase(), boundary: 'word' } } });
    }
  }

  observe(flow: Flow): Alert[] {
    this.counts.flows++;
    const memory = this.memoryOf(flow.device, flow.time);
    memory.expire(flow.time - this.options.windowMs);
    const role = flowRole(flow);
    if (role === 'navigation') {
      this.counts.navigations++;
      this.rememberNavigation(memory, flow);
      return [];
    }
    if (role === 'page') {
      this.counts.pageRequests++;
      return [];
    }
    this.counts.appRequests++;
    return this.inspect(memory, flow);
  }

  /** Encrypted or unreadable telemetry seen so far, by host and format. */
  opaqueTelemetry(): OpaqueTelemetry[] {
    return [...this.opaque.values()].sort((a, b) => Number(b.chinaLinked) - Number(a.chinaLinked) || b.count - a.count);
  }

  private memoryOf(device: string, time: number): DeviceMemory {
    let memory = this.devices.get(device);
    if (memory) {
      this.devices.delete(device);
    } else {
      memory = new DeviceMemory(this.options.maxValuesPerDevice);
      if (this.devices.size >= this.options.maxDevices) {
        const oldest = this.devices.keys().next();
        if (!oldest.done) this.devices.delete(oldest.value);
      }
    }
    memory.lastSeen = time;
    this.devices.set(device, memory);
    return memory;
  }

  private rememberNavigation(memory: DeviceMemory, flow: Flow): void {
    let url: URL;
    try {
      url = new URL(flow.url);
    } catch {
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return;
    const host = url.hostname.toLowerCase();
    const site = registrableDomain(host);
    const page = flow.url.split('#')[0]!;
    memory.remember({ kind: 'url', value: page, browsedUrl: page, site }, flow.time);
    if (this.hostCounts(host)) memory.remember({ kind: 'host', value: host, browsedUrl: page, site }, flow.time);
    const search = searchTermOf(url);
    if (search && [...search.term].length >= this.options.minSearchTermLength) {
      memory.remember({ kind: 'search', value: search.term, browsedUrl: page, site }, flow.time);
    }
  }

  /** A bare host counts as a browsing value unless it is an IP, too short, or everywhere anyway. */
  private hostCounts(host: string): boolean {
    if (!host.includes('.') || host.length < 4 || /^[\d.]+$|:/.test(host)) return false;
    return !this.commonHosts.has(host) && !isSearchEngineHost(host);
  }

  private inspect(memory: DeviceMemory, flow: Flow): Alert[] {
    const destHost = flow.destination.host.toLowerCase();
    const destSite = registrableDomain(destHost) ?? destHost;
    const leaves: RequestLeaf[] = [];
    let opaqueBytes = 0;
    for (const input of requestParts(flow, this.options.maxBodyBytes)) {
      const fromQuery = input.contentType !== undefined && input.root?.length === 0 && typeof input.data === 'string';
      const part: RequestLeaf['part'] = fromQuery ? 'query' : input.root?.length === 0 ? 'body' : 'other';
      const result = decode({ ...input, budget: this.options.decodeBudget });
      for (const leaf of result.leaves) leaves.push({ text: leaf.text, steps: renameQuerySteps(leaf.steps, fromQuery), part });
      if (part !== 'other') for (const blob of result.opaque) opaqueBytes = Math.max(opaqueBytes, blob.bytes);
    }
    memory.noteAppHost(destHost, flow.time);

    const format = recogniseFormat(flow, leaves.filter((l) => l.part === 'body'), leaves.filter((l) => l.part === 'query'));
    if (format?.encrypted || opaqueBytes >= OPAQUE_MIN_BYTES) {
      this.noteOpaque(flow, format?.format ?? 'encrypted or random payload');
    }

    const found: { leaf: RequestLeaf; hit: Hit<PatternRef>; confidence: Confidence }[] = [];
    const suspicions: { leaf: RequestLeaf; kind: 'url' | 'search'; value: string; field: string }[] = [];
    for (const leaf of leaves) {
      if (leaf.text.length < 3) continue;
      const lower = leaf.text.toLowerCase();
      const canaryHits = this.canaries.size > 0 ? this.canaries.scan(lower) : [];
      for (const hit of canaryHits) found.push({ leaf, hit, confidence: 'proven' });
      const hits = memory.patterns.scan(lower);
      const kept = selectHits(hits).filter((hit) => this.isLeakTo(hit.pattern.ref, destSite));
      for (const hit of kept) found.push({ leaf, hit, confidence: 'confirmed' });
      if (hits.length === 0 && canaryHits.length === 0 && this.options.suspected) {
        const s = suspect(leaf.text, leaf.steps, { destinationSite: destSite, isAppHost: (h) => memory.isAppHost(h) });
        if (s && !memory.has(s.kind, s.value)) suspicions.push({ leaf, ...s });
      }
    }
    if (found.length === 0 && suspicions.length === 0) return [];

    const destination = this.attribute(flow);
    const alerts = new Map<string, Alert>();
    for (const { leaf, hit, confidence } of found) {
      const ref = hit.pattern.ref;
      const kind: LeakKind = confidence === 'proven' ? 'canary' : ref.value.kind;
      const key = `${kind}\u0000${ref.value.value}`;
      if (alerts.has(key)) continue;
      alerts.set(key, this.alert(flow, destination, confidence, leaf, {
        kind, value: ref.value.value, form: ref.form.form, start: hit.start, end: hit.end,
        browsedAt: confidence === 'confirmed' ? ref.value.time : undefined,
        browsedUrl: confidence === 'confirmed' ? ref.value.browsedUrl : undefined,
        format: format?.format,
      }));
    }
    for (const s of suspicions) {
      const key = `${s.kind}\u0000${s.value}`;
      if (alerts.has(key)) continue;
      const start = s.leaf.text.indexOf(s.value);
      alerts.set(key, this.alert(flow, destination, 'suspected', s.leaf, {
        kind: s.kind, value: s.value, form: `field:${s.field}`, start, end: start + s.value.length, field: s.field, format: format?.format,
      }));
    }
    return [...alerts.values()];
  }

  /** The first-party and common-host rules: whether a confirmed hit counts as a leak to this destination. */
  private isLeakTo(ref: PatternRef, destSite: string): boolean {
    const value = ref.value;
    if (this.options.firstPartyExempt && value.site !== undefined && value.site === destSite) return false;
    return true;
  }

  private alert(
    flow: Flow,
    destination: Attribution,
    confidence: Confidence,
    leaf: RequestLeaf,
    m: { kind: LeakKind; value: string; form: string; start: number; end: number; browsedAt?: number | undefined; browsedUrl?: string | undefined; field?: string; format?: string | undefined },
  ): Alert {
    const path = formatPath(leaf.steps);
    const tier = this.options.severity[confidence];
    const { excerpt, highlight } = excerptAround(leaf.text, m.start, m.end);
    const alert: Alert = {
      id: alertId([flow.device, flow.id, flow.time, m.kind, m.value, path]),
      time: new Date(flow.time).toISOString(),
      severity: destination.chinaLinked ? tier.chinaLinked : tier.other,
      confidence,
      device: flow.device,
      data: { kind: m.kind, value: m.value, matched: leaf.text.slice(m.start, m.end), form: m.form },
      path,
      destination,
      flow: { id: flow.id, method: flow.method, url: flow.url, time: new Date(flow.time).toISOString(), source: flow.source },
      evidence: { excerpt, highlight, steps: cloneSteps(leaf.steps) },
    };
    if (m.browsedAt !== undefined) alert.evidence.browsedAt = m.browsedAt;
    if (m.browsedUrl !== undefined) alert.evidence.browsedUrl = m.browsedUrl;
    if (m.field !== undefined) alert.evidence.field = m.field;
    if (m.format !== undefined) alert.evidence.format = m.format;
    return alert;
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
    return { ...found, reasons: [...found.reasons] };
  }

  private noteOpaque(flow: Flow, format: string): void {
    const host = flow.destination.host.toLowerCase();
    const key = `${host}\u0000${format}`;
    const existing = this.opaque.get(key);
    if (existing) existing.count++;
    else this.opaque.set(key, { host, format, count: 1, chinaLinked: this.attribute(flow).chinaLinked });
  }
}
