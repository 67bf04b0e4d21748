import type { DecodeStep } from './decode-step.js';
import type { FlowSource } from './flow.js';

/**
 * proven: a canary we planted appears. confirmed: a value this device browsed appears.
 * suspected: URL- or search-like values in browsing-like fields, with no browsing seen.
 */
export type Confidence = 'proven' | 'confirmed' | 'suspected';

/** Tiers in order of strength: an alert is only ever replaced by a stronger one. */
export const CONFIDENCE_RANK: Readonly<Record<Confidence, number>> = { suspected: 0, confirmed: 1, proven: 2 };
export type Severity = 'critical' | 'high' | 'medium' | 'low';
export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

export function severityAtLeast(s: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(s) >= SEVERITIES.indexOf(threshold);
}

export type LeakKind = 'url' | 'host' | 'search' | 'canary' | 'indicator';

/** Which test a canary belongs to: a canary session's round and its browsing mode (normal, incognito …). */
export interface CanaryLabel {
  session: string;
  round: number;
  mode: string;
  /** Which of the round's canaries: its page's host, its page's URL, or its search phrase. */
  target: 'host' | 'url' | 'search';
}

/**
 * A canary the detector watches for: a value only a test the user started can have put in the
 * browser. `token`: one string, as typed; `url`, `host`, `search`: every form the detector knows of
 * that kind of browsing value (encodings, hashes).
 */
export interface PlantedCanary {
  value: string;
  kind: 'token' | 'url' | 'host' | 'search';
  label?: CanaryLabel;
}

/** Who receives a request, and every reason it counts as china-linked. */
export interface Attribution {
  host: string;
  ip?: string;
  port: number;
  asn?: number;
  org?: string;
  country?: string;
  /** Company that owns the host's domain, from the curated list. */
  owner?: string;
  ownerCountry?: string;
  registrableDomain?: string;
  chinaLinked: boolean;
  /**
   * What made it china-linked: `owned-by` (a Chinese-owned network or domain) or `hosted-in` (only
   * the address block's registry country, CN/HK/MO). Absent when it is not china-linked.
   */
  chinaLink?: 'owned-by' | 'hosted-in';
  /** Every reason that decided, each starting with its kind: "owned by: …", "hosted in: …". */
  reasons: string[];
}

export interface AlertEvidence {
  /** A window of the decoded text around the match. */
  excerpt: string;
  /** Offsets of the match inside `excerpt`. */
  highlight: [number, number];
  steps: DecodeStep[];
  /** When the browsing value was seen (epoch ms), for confirmed alerts. */
  browsedAt?: number;
  /** The navigation that made it a browsing value, for confirmed alerts. */
  browsedUrl?: string;
  /** Why a suspected alert was raised (the field name that looks like browsing). */
  field?: string;
  /** Recognised telemetry format, e.g. `sensors-analytics`. */
  format?: string;
}

/** The alert JSON of ARCHITECTURE.md: the same object goes to the CLI, API, SSE and MQTT. */
export interface Alert {
  id: string;
  /** ISO-8601 time of the leaking request. */
  time: string;
  severity: Severity;
  confidence: Confidence;
  device: string;
  data: {
    kind: LeakKind;
    /** The browsing value: URL, host or search term as browsed. */
    value: string;
    /** The text found in the request (a hash, an encoded term, the URL itself). */
    matched: string;
    /** Which form of the value matched: `url`, `url-no-scheme`, `sha256(url)`, `search+plus` ... */
    form: string;
    /** For a proven alert of a canary session: which session, round and mode it proves. */
    canary?: CanaryLabel;
  };
  /** The decode chain, rendered: `form:data_list → base64 → gzip → json:$[0].properties.url`. */
  path: string;
  destination: Attribution;
  flow: { id: string; method: string; url: string; time: string; source: FlowSource };
  evidence: AlertEvidence;
  /**
   * Set when this alert replaces one with the same id at a lower tier (first suspected, then
   * confirmed by a page load seen after the request): the tier it was before.
   */
  upgradedFrom?: Confidence;
}

/** Telemetry the detector recognised but could not read (encrypted SDK payloads). */
export interface OpaqueTelemetry {
  host: string;
  format: string;
  count: number;
  chinaLinked: boolean;
}

/**
 * A web page reporting itself (its URL, host or search) to a third party: a web tracker on that
 * page (Baidu Tongji on a news site), not the phone leaking. Listed per page, never an alert.
 */
export interface WebTracker {
  /** The registrable domain of the page that reports itself. */
  page: string;
  /** The receiver's host. */
  host: string;
  chinaLinked: boolean;
  chinaLink?: Attribution['chinaLink'];
  /** What it reported: url, host, search. */
  kinds: LeakKind[];
  count: number;
  /** Epoch ms of the last report seen. */
  lastSeen: number;
}

export interface AnalysisSummary {
  files: number;
  flows: number;
  navigations: number;
  alerts: number;
  bySeverity: Record<Severity, number>;
  byConfidence: Record<Confidence, number>;
  chinaLinkedAlerts: number;
  /** TLS connections a packet capture showed (by ClientHello): encrypted, so not inspected. */
  tlsConnections: number;
  opaque: OpaqueTelemetry[];
  /** Pages that report themselves to third parties (not alerts), china-linked receivers first. */
  webTrackers: WebTracker[];
  problems: { file: string; at: string; reason: string }[];
}

export function formatPath(steps: readonly DecodeStep[]): string {
  return steps.map((s) => (s.at !== undefined && s.at !== '' ? `${s.codec}:${s.at}` : s.codec)).join(' → ');
}
