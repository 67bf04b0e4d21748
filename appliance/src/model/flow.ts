/** Where a Flow came from. */
/** Who recorded a flow; `appliance`: the appliance's own page (a canary page), recorded as the phone's browsing. */
export type FlowSource = 'proxy' | 'capture' | 'har' | 'pcap' | 'appliance';

export interface Header {
  name: string;
  value: string;
}

/**
 * What the request itself says about who made it. Browsers send Sec-Fetch-* and Referer/Origin;
 * app SDKs usually send none of them. HAR files from Chromium add `_resourceType`.
 */
export interface InitiatorHints {
  secFetchSite?: string;
  secFetchMode?: string;
  secFetchDest?: string;
  secFetchUser?: string;
  referer?: string;
  origin?: string;
  userAgent?: string;
  /** `X-Requested-With`: `XMLHttpRequest` for page scripts, the app's package name in Android WebViews. */
  requestedWith?: string;
  /** HAR `_resourceType` (Chromium DevTools): document, script, xhr, fetch, image, ping, ... */
  resourceType?: string;
}

/** The parts of the response that tell a page load from an API call. Absent when not seen. */
export interface FlowResponse {
  status: number;
  mimeType?: string;
  /** Location header of a redirect. */
  location?: string;
}

export interface FlowTls {
  /**
   * intercepted: decrypted by the proxy. passthrough: not decrypted — relayed untouched because the
   * client pins its certificates, or seen by capture on a port the proxy does not intercept.
   */
  decryption: 'intercepted' | 'passthrough';
  /** The client's JA4 fingerprint (which TLS library made the connection). */
  ja4?: string;
}

/** One HTTP request as a source saw it. Sources produce these; the detector consumes them. */
export interface Flow {
  /** Unique within one run of a source (`har:3:17` = file 3, entry 17). */
  id: string;
  device: string;
  /** Epoch milliseconds when the request started. */
  time: number;
  method: string;
  /** Exactly as recorded by the source (HAR request.url, or scheme://Host + target). */
  url: string;
  httpVersion?: string;
  headers: Header[];
  /** Request body bytes, possibly a bounded copy. */
  body: Uint8Array;
  /** True when `body` is a prefix of a longer body. */
  bodyTruncated?: boolean;
  destination: { host: string; ip?: string; port: number };
  source: FlowSource;
  /** How the source saw the connection's TLS; absent when it was not TLS. */
  tls?: FlowTls;
  initiator: InitiatorHints;
  response?: FlowResponse;
}

/** First value of a header, case-insensitively. */
export function headerValue(headers: readonly Header[], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const h of headers) if (h.name.toLowerCase() === wanted) return h.value;
  return undefined;
}

/** Request headers that tell who made a request, by lowercase name. */
const INITIATOR_HEADERS: ReadonlyMap<string, keyof InitiatorHints> = new Map([
  ['sec-fetch-site', 'secFetchSite'],
  ['sec-fetch-mode', 'secFetchMode'],
  ['sec-fetch-dest', 'secFetchDest'],
  ['sec-fetch-user', 'secFetchUser'],
  ['referer', 'referer'],
  ['origin', 'origin'],
  ['user-agent', 'userAgent'],
  ['x-requested-with', 'requestedWith'],
]);

/** One pass over the headers (this runs for every proxied request); the first of a repeated header counts. */
export function initiatorFromHeaders(headers: readonly Header[], resourceType?: string): InitiatorHints {
  const hints: InitiatorHints = {};
  for (const h of headers) {
    const key = INITIATOR_HEADERS.get(h.name) ?? INITIATOR_HEADERS.get(h.name.toLowerCase());
    if (key !== undefined && hints[key] === undefined) hints[key] = h.value;
  }
  if (resourceType) hints.resourceType = resourceType;
  return hints;
}
