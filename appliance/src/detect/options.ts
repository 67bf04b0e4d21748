import type { Confidence, PlantedCanary, Severity } from '../model/index.js';
import type { DecodeBudget } from './decode/types.js';

/** Every rule of the detector, configurable. Defaults favour precision: a false alert costs trust. */
export interface DetectorOptions {
  /** How long a browsed value is remembered (ms). Telemetry is often batched and sent much later. */
  windowMs: number;
  /** Browsed values remembered per device; the oldest go first. */
  maxValuesPerDevice: number;
  /** Devices remembered; the least recently seen go first. */
  maxDevices: number;
  /** Shortest search term that counts (shorter ones match too much by chance). */
  minSearchTermLength: number;
  /** Drop matches to the same registrable domain as the browsed value (first-party). */
  firstPartyExempt: boolean;
  /** Raise `suspected` alerts for URL/search-like values in browsing fields when the browsing was not seen. */
  suspected: boolean;
  /** Hosts that alone never count as a leak (they appear in countless SDK configs). Search engines are added. */
  commonHosts: readonly string[];
  /** Request body bytes inspected; the rest is ignored. */
  maxBodyBytes: number;
  decodeBudget: Partial<DecodeBudget>;
  /** Severity for each confidence tier, for china-linked and other receivers. */
  severity: Record<Confidence, { chinaLinked: Severity; other: Severity }>;
  /** App requests kept per device so a page load recorded after them can still be matched. */
  lookback: { ms: number; flows: number; bytes: number };
  /**
   * Whether a word is among the most common of its language; a search for one is weak evidence.
   * The appliance and analyze pass words/common-words.ts (file I/O, so not imported here).
   */
  isCommonWord?: (word: string) => boolean;
  /** Canaries planted by a test (`proven` when seen): plain tokens, or typed and labelled ones. */
  canaries: readonly (string | PlantedCanary)[];
}

export const DEFAULT_DETECTOR_OPTIONS: DetectorOptions = {
  windowMs: 7 * 24 * 3600 * 1000,
  maxValuesPerDevice: 5000,
  maxDevices: 256,
  minSearchTermLength: 3,
  firstPartyExempt: true,
  suspected: true,
  commonHosts: [
    'localhost', 'www.google.com', 'google.com', 'www.gstatic.com', 'fonts.googleapis.com', 'www.youtube.com', 'youtube.com',
    'www.facebook.com', 'facebook.com', 'www.apple.com', 'apple.com', 'www.microsoft.com', 'www.baidu.com', 'baidu.com',
    'www.qq.com', 'qq.com', 'connectivitycheck.gstatic.com', 'clients3.google.com', 'captive.apple.com',
    'accounts.google.com', 'play.google.com', 'login.microsoftonline.com', 'appleid.apple.com', 'm.facebook.com',
  ],
  maxBodyBytes: 8 * 1024 * 1024,
  decodeBudget: {},
  severity: {
    proven: { chinaLinked: 'critical', other: 'high' },
    confirmed: { chinaLinked: 'high', other: 'medium' },
    suspected: { chinaLinked: 'medium', other: 'low' },
  },
  lookback: { ms: 60_000, flows: 256, bytes: 8 * 1024 * 1024 },
  canaries: [],
};

export function resolveOptions(partial: Partial<DetectorOptions> = {}): DetectorOptions {
  return {
    ...DEFAULT_DETECTOR_OPTIONS,
    ...partial,
    severity: { ...DEFAULT_DETECTOR_OPTIONS.severity, ...partial.severity },
    lookback: { ...DEFAULT_DETECTOR_OPTIONS.lookback, ...partial.lookback },
  };
}
