import type { Flow } from '../model/index.js';
import { headerValue } from '../model/index.js';
import type { DecodeStep } from '../model/index.js';
import type { DecodeInput } from './decode/types.js';

/**
 * Headers that carry protocol plumbing or the page context, never app data. Referer and Origin are
 * here on purpose: a browsed value seen only there is the browsing itself, not a leak.
 */
const PLUMBING_HEADERS = new Set([
  'host', ':authority', ':method', ':path', ':scheme', 'user-agent', 'accept', 'accept-encoding', 'accept-language',
  'content-type', 'content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive', 'referer',
  'origin', 'cache-control', 'pragma', 'te', 'upgrade', 'upgrade-insecure-requests', 'if-none-match',
  'if-modified-since', 'if-match', 'if-unmodified-since', 'if-range', 'range', 'expect', 'dnt', 'priority',
  'proxy-connection', 'via', 'x-forwarded-for', 'x-forwarded-proto', 'x-requested-with', 'cookie',
]);

/** Path segments shorter than this are routes, not payloads. */
const MIN_PATH_PAYLOAD = 16;

/** The separately decodable parts of a request: query, path payloads, app headers, cookies, body. */
export function requestParts(flow: Flow, maxBodyBytes: number): DecodeInput[] {
  const parts: DecodeInput[] = [];
  const { query, path } = splitUrl(flow.url);
  if (query) parts.push({ data: query, contentType: 'application/x-www-form-urlencoded', root: [] });
  path.split('/').forEach((segment, index) => {
    if (segment.length >= MIN_PATH_PAYLOAD) parts.push({ data: segment, root: [{ codec: 'path', at: String(index) }] });
  });
  for (const h of flow.headers) {
    const name = h.name.toLowerCase();
    if (PLUMBING_HEADERS.has(name) || name.startsWith('sec-') || h.value.length < 4) continue;
    parts.push({ data: h.value, root: [{ codec: 'header', at: name }] });
  }
  const cookie = headerValue(flow.headers, 'cookie');
  if (cookie) {
    for (const pair of cookie.split(/;\s*/)) {
      const eq = pair.indexOf('=');
      if (eq <= 0 || pair.length - eq - 1 < 4) continue;
      parts.push({ data: pair.slice(eq + 1), root: [{ codec: 'cookie', at: pair.slice(0, eq).trim() }] });
    }
  }
  if (flow.body.length > 0) {
    const body = flow.body.length > maxBodyBytes ? flow.body.subarray(0, maxBodyBytes) : flow.body;
    const input: DecodeInput = { data: body, root: [] };
    const type = headerValue(flow.headers, 'content-type');
    const encoding = headerValue(flow.headers, 'content-encoding');
    if (type) input.contentType = type;
    if (encoding) input.contentEncoding = encoding;
    parts.push(input);
  }
  return parts;
}

/** The decoder names a query's fields `form:key`; in evidence they read better as `query:key`. */
export function renameQuerySteps(steps: DecodeStep[], fromQuery: boolean): DecodeStep[] {
  if (!fromQuery || steps[0]?.codec !== 'form') return steps;
  return [{ ...steps[0], codec: 'query' }, ...steps.slice(1)];
}

function splitUrl(url: string): { path: string; query: string } {
  const hash = url.indexOf('#');
  const noFragment = hash >= 0 ? url.slice(0, hash) : url;
  const q = noFragment.indexOf('?');
  const beforeQuery = q >= 0 ? noFragment.slice(0, q) : noFragment;
  const path = beforeQuery.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  return { path, query: q >= 0 ? noFragment.slice(q + 1) : '' };
}
