import type { Flow } from '../model/index.js';
import { registrableDomain } from '../intel/registrable-domain.js';
import type { Finding } from './alert-builder.js';

/**
 * Browser-looking requests (Sec-Fetch-*, a browser User-Agent, a page's Referer or Origin) are not
 * all a web page going about its business: a browser's own built-in pages (home feed, news tab,
 * webview SDKs) send what the user browsed elsewhere the same way. A request is the traffic of page
 * P only when its Referer or Origin is P's site; it may carry what P knows — P itself, the pages of
 * P's site, and the page that linked to P (`document.referrer`). Anything else the user browsed,
 * found in it, is a leak like any app's.
 */
export interface PageContext {
  /** The registrable domain of the page the request comes from; undefined when nothing says. */
  site: string | undefined;
  /** Sites whose browsing this page knows: its own and the sites that linked to it. */
  knows: ReadonlySet<string>;
}

function siteOfWebUrl(value: string | undefined): string | undefined {
  if (value === undefined || !/^https?:\/\/[^/\s]/i.test(value)) return undefined;
  try {
    return registrableDomain(new URL(value).hostname.toLowerCase());
  } catch {
    return undefined;
  }
}

/** The page site a request names in its Referer, else its Origin. */
export function pageSiteOf(flow: Flow): string | undefined {
  return siteOfWebUrl(flow.initiator.referer) ?? siteOfWebUrl(flow.initiator.origin);
}

/** The site of the page that linked to a page load (its Referer), if another site. */
export function linkingSiteOf(navigation: Flow, site: string | undefined): string | undefined {
  const from = siteOfWebUrl(navigation.initiator.referer);
  return from !== site ? from : undefined;
}

export interface SplitFindings {
  /** Browsing the page could not know: leaks, as from an app. */
  leaks: Finding[];
  /** The page reporting its own browsing (itself, its site, the page that linked to it). */
  selfReports: Finding[];
}

/** Sorts a page request's findings into leaks and the page's reports of itself. Canaries are always leaks. */
export function splitPageFindings(findings: readonly Finding[], page: PageContext): SplitFindings {
  const leaks: Finding[] = [];
  const selfReports: Finding[] = [];
  for (const f of findings) {
    if (f.confidence !== 'proven' && f.browsedSite !== undefined && page.knows.has(f.browsedSite)) selfReports.push(f);
    else leaks.push(f);
  }
  return { leaks, selfReports };
}
