import type { Flow } from '../model/index.js';
import { headerValue } from '../model/index.js';

/**
 * navigation: the user (or the browser for the user) loading a page — the browsing itself.
 * page: a request a page makes while loading (subresources, page scripts' beacons) — also browsing, never a leak.
 * app: everything else: app and OS traffic, SDK telemetry. Only these are searched for leaks.
 */
export type FlowRole = 'navigation' | 'page' | 'app';

const PAGE_RESOURCE_TYPES = new Set([
  'stylesheet', 'script', 'image', 'font', 'media', 'xhr', 'fetch', 'ping', 'beacon', 'websocket',
  'manifest', 'texttrack', 'eventsource', 'preflight', 'signedexchange', 'cspviolationreport', 'prefetch', 'subframe',
]);

/** User agents of HTTP libraries that apps and SDKs use; a GET from them is not a page load. */
const LIBRARY_AGENT = /\b(?:dalvik|okhttp|cfnetwork|unityplayer|python-|go-http|java\/|apache-httpclient|volley|retrofit|alamofire|cronet)/i;
const HTML_TYPES = /^(?:text\/html|application\/xhtml\+xml)/i;

export function flowRole(flow: Flow): FlowRole {
  const hints = flow.initiator;
  const dest = hints.secFetchDest?.toLowerCase();
  const mode = hints.secFetchMode?.toLowerCase();
  const type = hints.resourceType?.toLowerCase();

  if (dest === 'iframe' || dest === 'frame') return 'page';
  if (mode === 'navigate' || dest === 'document') return 'navigation';
  if (type === 'document') return 'navigation';
  if (type !== undefined && PAGE_RESOURCE_TYPES.has(type)) return 'page';
  if (mode !== undefined || dest !== undefined || hints.secFetchSite !== undefined) return 'page';
  if (hints.requestedWith?.toLowerCase() === 'xmlhttprequest') return 'page';
  // A page's Referer/Origin marks page traffic; an HTTP library that sets one is still an app.
  if ((isWebUrl(hints.origin) || isWebUrl(hints.referer)) && !LIBRARY_AGENT.test(hints.userAgent ?? '')) return 'page';
  if (looksLikePageLoad(flow)) return 'navigation';
  return 'app';
}

function isWebUrl(value: string | undefined): boolean {
  return value !== undefined && /^https?:\/\/[^/\s]/i.test(value);
}

/** Clients that send no Sec-Fetch headers (curl, old WebViews): a GET for HTML by a non-library client. */
function looksLikePageLoad(flow: Flow): boolean {
  if (flow.method.toUpperCase() !== 'GET') return false;
  if (LIBRARY_AGENT.test(flow.initiator.userAgent ?? '')) return false;
  const accept = headerValue(flow.headers, 'accept') ?? '';
  const responseType = flow.response?.mimeType ?? '';
  if (flow.response && (flow.response.status === 204 || flow.response.status >= 400)) return false;
  return HTML_TYPES.test(responseType) || /text\/html/i.test(accept);
}
