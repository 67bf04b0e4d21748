import type { DecodeStep } from '../model/index.js';
import { registrableDomain } from '../intel/registrable-domain.js';

/**
 * Content-only suspicion: a value that looks like browsing, in a field named like browsing, going to
 * a third party, when the device's browsing itself was not seen (pinned app, QUIC, capture started
 * late). Precision first: the field name must be a known browsing field, and SDK endpoints, ad
 * creatives, app-store links and asset URLs are excluded.
 */
export interface Suspicion {
  kind: 'url' | 'search';
  value: string;
  field: string;
}

/** Field names (lowercased, `$`, `_` and `-` removed) that carry a page address in telemetry. */
const URL_FIELDS = new Set([
  'url', 'pageurl', 'currenturl', 'weburl', 'webpageurl', 'visiturl', 'visitedurl', 'browseurl', 'taburl',
  'href', 'link', 'referrer', 'referer', 'latestreferrer', 'pageaddress', 'siteurl', 'openurl', 'loadurl', 'targeturl',
  'location', 'documenturl', 'documentlocation', 'page', 'pagelocation', 'navurl', 'historyurl',
]);

/** Field names that carry what the user searched for. */
const SEARCH_FIELDS = new Set([
  'searchword', 'searchwords', 'searchterm', 'searchterms', 'searchkeyword', 'searchkey', 'searchquery', 'searchtext',
  'keyword', 'keywords', 'latestsearchkeyword', 'querytext', 'queryword', 'wd', 'kw',
]);

/** Path segments that mark ads, assets and SDK plumbing: URLs under them are not browsing. */
const NON_BROWSING_CONTEXT = /^(?:ads?|adunit|creatives?|banners?|icons?|images?|imgs?|thumbs?|thumbnails?|videos?|assets?|configs?|settings|endpoints?|servers?|cdn|sdk|callbacks?|trackers?|pixels?|impressions?|clicks?)$/;

const ASSET_EXTENSION = /\.(?:png|jpe?g|gif|webp|avif|svg|ico|bmp|mp4|webm|m3u8|mpd|ts|mp3|aac|ogg|js|mjs|css|woff2?|ttf|otf|eot|json|xml|wasm|map)$/i;

/** Paths of APIs, collectors and connectivity checks: an SDK's plumbing, not a page someone read. */
const API_PATH = /(?:^|\/)(?:api|apis|v\d+|sdk|config|configs|collect|collector|track|tracking|log|logs|report|upload|beacon|ping|generate_204|hotspot-detect\.html|ncsi\.txt)(?:\/|$|\.)/i;

const APP_STORE = /^(?:https?:\/\/)?(?:play\.google\.com\/store|apps\.apple\.com|itunes\.apple\.com|app\.mi\.com|appgallery\.huawei\.com|galaxystore\.samsung\.com|apps\.samsung\.com)/i;

/** Hosts of ad servers, asset CDNs and SDK backends whose URLs appear in telemetry without any browsing. */
const INFRA_DOMAINS = new Set([
  'doubleclick.net', 'googlesyndication.com', 'googleadservices.com', 'gstatic.com', 'googleapis.com', 'googleusercontent.com',
  'app-measurement.com', 'google-analytics.com', 'crashlytics.com', 'firebaseio.com', 'alicdn.com', 'pstatp.com',
  'byteimg.com', 'gtimg.com', 'gdtimg.com', 'ugdtimg.com', 'cloudfront.net', 'akamaihd.net', 'fbcdn.net', 'applovin.com',
  'unity3d.com', 'adjust.com', 'appsflyer.com', 'branch.io', 'rayjump.com', 'mintegral.com', 'pangle.io', 'umeng.com',
  // The appliance's own pages (canary tests): their leaks are proven by the planted canary, never suspected.
  'leakwatch.internal',
]);

/** Field names by the step text they came from: telemetry repeats the same few paths in every event. */
const FIELD_NAMES = new Map<string, string | null>();
const MAX_FIELD_NAMES = 4096;

/** The last field name of a decode chain: `json:$[0].properties.url` → `url`, `form:u` → `u`. */
export function fieldName(steps: readonly DecodeStep[]): string | undefined {
  for (let i = steps.length - 1; i >= 0; i--) {
    const at = steps[i]!.at;
    if (at === undefined || at === '') continue;
    const known = FIELD_NAMES.get(at);
    if (known !== undefined) return known ?? undefined;
    const m = /(?:\.|\[")([^.[\]"]+)"?\]?$/.exec(at) ?? /^([^.[\]"]+)$/.exec(at);
    if (FIELD_NAMES.size >= MAX_FIELD_NAMES) FIELD_NAMES.clear();
    FIELD_NAMES.set(at, m?.[1] ?? null);
    return m?.[1];
  }
  return undefined;
}

export function normaliseField(name: string): string {
  return name.toLowerCase().replace(/[$_\-\s]/g, '');
}

function contextSegments(steps: readonly DecodeStep[]): string[] {
  return steps.flatMap((s) => (s.at ?? '').split(/[.[\]"]+/)).filter((x) => x !== '' && !/^\d+$/.test(x) && x !== '$');
}

export interface ClassifyContext {
  destinationSite: string | undefined;
  isAppHost(host: string): boolean;
}

/** A name that says nothing (`u`, `p1`, `lk`): telemetry shortens its field names to save bytes. */
const OPAQUE_NAME = /^[a-z][a-z0-9]{0,2}$/;

/** A whole header value (`X-Page: …`): an app's own header, since plumbing headers are never decoded. */
function isHeaderValue(steps: readonly DecodeStep[]): boolean {
  return steps.length === 1 && steps[0]!.codec === 'header';
}

export function suspect(text: string, steps: readonly DecodeStep[], ctx: ClassifyContext): Suspicion | undefined {
  const field = fieldName(steps);
  if (field === undefined) return undefined;
  const header = isHeaderValue(steps);
  const normalised = normaliseField(header ? field.replace(/^x-/i, '') : field);
  const urlField = URL_FIELDS.has(normalised);
  const searchField = !urlField && SEARCH_FIELDS.has(normalised);
  // Under a name that says nothing, or in an app's own header, only what looks like a page someone reads.
  const pageOnly = !urlField && !searchField && (header || OPAQUE_NAME.test(normalised));
  if (!urlField && !searchField && !pageOnly) return undefined;
  // Cheap tests first: most values under these names are ids, numbers and flags.
  if ((urlField || pageOnly) && !/^\s*https?:\/\//i.test(text)) return undefined;
  const context = contextSegments(steps).slice(0, -1).map(normaliseField);
  if (context.some((s) => NON_BROWSING_CONTEXT.test(s))) return undefined;
  const value = text.trim();
  if (urlField) return suspectUrl(value, field, ctx);
  if (searchField) return suspectSearch(value, field);
  return suspectPageUrl(value, field, ctx);
}

/** Paths of pages nobody browsed to read: legal, help, sign-in, sharing and app-link plumbing. */
const NOT_READ_PATH = /(?:^|\/)(?:privacy|privacy-policy|terms|tos|policy|policies|legal|eula|license|licence|agreement|help|support|faq|about|contact|login|signin|sign-in|signup|oauth|auth|authorize|callback|redirect|share|sharer|intent|download|install|open|deeplink|unsubscribe)(?:[/._-]|$)/i;

/**
 * A page URL without a browsing field name: https or http, a path with a word in it (an article's
 * slug, a section), none of the URL rule's exclusions, and no legal, help or plumbing page.
 */
function suspectPageUrl(value: string, field: string, ctx: ClassifyContext): Suspicion | undefined {
  const suspicion = suspectUrl(value, field, ctx);
  if (!suspicion) return undefined;
  const path = new URL(value).pathname;
  if (NOT_READ_PATH.test(path) || !/[a-z]{3,}/i.test(path)) return undefined;
  return suspicion;
}

function suspectUrl(value: string, field: string, ctx: ClassifyContext): Suspicion | undefined {
  if (!/^https?:\/\/[^\s/]+\.[^\s/]+/i.test(value) || value.length > 4096) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const host = url.hostname.toLowerCase();
  const site = registrableDomain(host);
  if (site === undefined || site === ctx.destinationSite) return undefined;
  if (INFRA_DOMAINS.has(site) || ctx.isAppHost(host)) return undefined;
  if (APP_STORE.test(value) || ASSET_EXTENSION.test(url.pathname) || API_PATH.test(url.pathname)) return undefined;
  return { kind: 'url', value, field };
}

function suspectSearch(value: string, field: string): Suspicion | undefined {
  if (value.length < 3 || value.length > 200) return undefined;
  if (!/\p{L}/u.test(value)) return undefined;
  // Identifiers, tokens and URLs are not search terms.
  if (/^[A-Za-z0-9+/=_-]{16,}$/.test(value) || /^[a-z]+:\/\//i.test(value)) return undefined;
  return { kind: 'search', value, field };
}
