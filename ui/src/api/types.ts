/**
 * What the API answers, as the page uses it. The alert itself is the appliance's own type (one
 * vocabulary from the detector to the page); the rest mirrors the route schemas in
 * appliance/src/api/routes/ (and /api/openapi.json).
 */
import type { Alert, Attribution, Severity } from '../../../appliance/src/model/alert.js';

export type { Alert, Attribution, Severity };
export type Confidence = Alert['confidence'];
export type DecodeStep = Alert['evidence']['steps'][number];

/** An alert as the API lists it: where it stands in the store's order, and whether it was acknowledged. */
export type ListedAlert = Alert & { seq: number; acknowledged: boolean };

export interface Receiver {
  company: string;
  country: string | null;
  chinaLinked: boolean;
  alerts: number;
  last: number;
}

export interface DeviceVerdict {
  device: string;
  name: string | null;
  alerts: number;
  unread: number;
  last: number;
  receivers: Receiver[];
}

export interface AlertSummary {
  unread: number;
  /** The newest alert these figures count (0: none): the live stream starts after it. */
  latestSeq: number;
  devices: DeviceVerdict[];
}

export interface Device {
  id: string;
  name: string | null;
  mac: string | null;
  ip: string | null;
  hostname: string | null;
  vendor: string | null;
  vendorCountry: string | null;
  randomisedMac: boolean | null;
  firstSeen: number;
  lastSeen: number;
  alerts: number;
  unread: number;
}

export interface PeerTraffic {
  peer: string;
  name?: string;
  bytesOut: number;
  bytesIn: number;
  packetsOut: number;
  packetsIn: number;
  tcpPorts: number[];
  dnsOverTlsAttempts: number;
  quicPackets: number;
  dnsPackets: number;
  firstSeen: number;
  lastSeen: number;
  network?: { asn?: number; org?: string; country?: string; owner?: string; ownerCountry?: string; chinaLinked: boolean; chinaLink?: 'owned-by' | 'hosted-in'; reasons: string[] };
}

export interface DnsLookup {
  name: string;
  addresses: string[];
  count: number;
  firstSeen: number;
  lastSeen: number;
}

export interface HostSeen {
  host: string;
  count: number;
  last: number;
}

/** A host a device's app would not let the appliance read: passed through now (with why and until when), or earlier. */
export interface PassedThroughHost extends HostSeen {
  reason: 'certificate-rejected' | 'repeated-refusals' | 'refused-after-accepting' | null;
  until: number | null;
}

export interface Header {
  name: string;
  value: string;
}

export interface FlowDetail {
  id: string;
  device: string;
  time: string;
  method: string;
  url: string;
  host: string;
  ip: string | null;
  port: number;
  source: string;
  httpVersion: string | null;
  headers: Header[] | null;
  response: { status: number; mimeType?: string; location?: string } | null;
  body: { bytes: number; excerptBytes: number; cut: boolean | null; encoding: 'utf8' | 'base64'; text: string };
  tls: { decryption: 'intercepted' | 'passthrough'; ja4?: string } | null;
  alertIds: string[];
}

export interface FlowSummary {
  id: string;
  device: string;
  time: string;
  method: string;
  url: string;
  host: string;
  ip: string | null;
  port: number;
  status: number | null;
  bodyBytes: number;
  alertCount: number;
}

export interface FlowPage {
  flows: FlowSummary[];
  nextCursor: string | null;
}

export interface CanaryTest {
  token: string;
  created: number;
  note: string | null;
  alerts: number;
  lastSeen: number | null;
  searchTerm: string;
  pageUrl: string;
}

export interface PublicInfo {
  version: string;
  httpsPort: number;
  mode: 'transparent' | 'explicit';
  proxyPort: number;
}

export interface MqttState {
  broker: string;
  connected: boolean;
  waiting: number;
  problem: string | null;
}

export interface SystemHealth {
  time: string;
  uptimeSeconds: number;
  cpu: { loadPercent: number; temperatureC: number | null };
  throttled: { raw: string; underVoltage: boolean; throttled: boolean } | null;
  memory: { totalBytes: number; availableBytes: number };
  disk: { mount: string; sizeBytes: number; usedBytes: number } | null;
  mqtt: MqttState | null;
  /** Absent from a service older than this page, null while capture is off. */
  capture?: CaptureCounters | null;
}

/** What packet capture saw since start; dropped packets are missing from evidence and byte counts. */
export interface CaptureCounters {
  packets: number;
  droppedPackets: number;
  bufferBytes: number;
}

export interface HealthSample {
  time: number;
  loadPercent: number;
  temperatureC: number | null;
  memoryUsedPercent: number;
  diskUsedPercent: number | null;
  throttled: boolean;
}

export interface Settings {
  config: { retention: { maxAgeDays: number; maxBytes: number }; [section: string]: unknown };
  overrides: Record<string, number>;
  changeable: Record<string, { minimum: number }>;
}

export type FirewallStatus =
  | { state: 'loaded'; rules: Record<'redirectHttp' | 'redirectHttps' | 'dropQuic' | 'dropDnsOverTls', { present: boolean; packets: number | null }> }
  | { state: 'missing'; reason: string }
  | { state: 'unreadable'; reason: string };

/** What the appliance saw of the phone that asks (GET /api/selftest). */
export interface SelfTestReport {
  client: { ip: string; device: string; mac: string | null; hostname: string | null; vendor: string | null; randomisedMac: boolean | null; loopback: boolean };
  mode: 'transparent' | 'explicit';
  capture: boolean;
  names: { domain: string; address: string };
  proxy: { seen: { scheme: 'http' | 'https'; host: string; time: number }[]; refused: { host: string; cause: string; time: number }[] };
  firewall: FirewallStatus | null;
  dns: { names: number; selfTest: string[]; elsewhere: { server: string; packets: number }[] | null } | null;
  dnsOverTls: { attempts: number; servers: string[] } | null;
  quic: { packets: number } | null;
  doh: HostSeen[];
}

/** A time leakwatch was not running: phones had internet, uninspected (GET /api/system/downtime). */
export interface Downtime {
  start: number;
  end: number;
  reason: 'stopped' | 'crashed';
}

/** A canary session's verdict (appliance/src/canary/verdict.ts, as the API sends it). */
export interface CanaryRoundVerdict {
  round: number;
  mode: string;
  opened: number;
  closed: number | null;
  watchedUntil: number | null;
  canaries: { page: string; host: string; phrase: string };
  visited: number | null;
  leaked: boolean;
  receivers: { host: string; ip: string | null; company: string; country: string | null; chinaLinked: boolean; chinaLink: 'owned-by' | 'hosted-in' | null; reasons: string[] }[];
  found: { target: 'host' | 'url' | 'search'; value: string; forms: string[]; chains: string[]; alerts: number; firstSeen: number; afterVisitMs: number | null }[];
  alertIds: string[];
  blind: { passedThrough: { host: string; count: number }[]; quicPackets: number | null; dnsOverTlsAttempts: number | null };
}

export interface CanarySessionVerdict {
  session: string;
  app: string;
  device: string | null;
  created: number;
  watching: boolean;
  summary: string;
  rounds: CanaryRoundVerdict[];
}

export interface CanaryRoundView {
  n: number;
  mode: string;
  opened: number;
  closed: number | null;
  pageUrl: string;
  host: string;
  searchPhrase: string;
  visited: number | null;
}

export interface CanarySessionView {
  id: string;
  created: number;
  app: string;
  device: string | null;
  watchMinutes: number;
  closed: number | null;
  rounds: CanaryRoundView[];
  verdict: CanarySessionVerdict;
}
