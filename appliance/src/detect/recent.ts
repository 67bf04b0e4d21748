import type { Confidence, Flow } from '../model/index.js';
import type { RequestLeaf } from './request-leaves.js';
import type { PageContext } from './page-context.js';
import { canonicalUrl } from './forms.js';
import { WindowFilter } from './window-filter.js';

/** An app request kept for a short while, so a navigation recorded after it can still be matched. */
export interface RecentFlow {
  flow: Flow;
  leaves: RequestLeaf[];
  destSite: string;
  format: string | undefined;
  /** Alerts already raised for this flow: `kind\0value` → the tier raised. */
  emitted: Map<string, Confidence>;
  bytes: number;
  /** Set for a page's request: whose page it is and what it knows. */
  page?: PageContext;
  /**
   * Every leaf lowercased (and URL leaves also in canonical spelling), joined by newlines, with a
   * filter of the windows it holds: one check of it tells whether a page load's values can occur in
   * this request at all, before the leaves are looked at one by one. Made on first use.
   */
  windows?: WindowFilter;
}

/** The request's text and window filter for look-back checks (made once, kept with the entry). */
export function windowsOf(entry: RecentFlow): WindowFilter {
  return (entry.windows ??= new WindowFilter(haystackOf(entry.leaves)));
}

/** The text `RecentFlow.windows` is made from. A newline bounds a match like the end of a leaf does. */
export function haystackOf(leaves: readonly RequestLeaf[]): string {
  const parts: string[] = [];
  for (const leaf of leaves) {
    const lower = (leaf.lower ??= leaf.text.toLowerCase());
    parts.push(lower);
    if (lower.includes('://')) {
      const canonical = (leaf.canonical ??= canonicalUrl(leaf.text));
      if (canonical !== lower) parts.push(canonical);
    }
  }
  return parts.join('\n');
}

/**
 * The last app requests of one device, bounded by count and by decoded bytes. Captures do not
 * always list a page load before the telemetry that reports it (clock skew, concurrent requests,
 * a browser that checks a URL before loading it), so new browsing is matched against these too.
 */
export class RecentFlows {
  private readonly items: RecentFlow[] = [];
  private bytes = 0;

  constructor(
    private readonly maxFlows: number,
    private readonly maxBytes: number,
  ) {}

  add(entry: RecentFlow): void {
    // UTF-16 text of the leaves, as much again for the text made from them on first look-back, and
    // as much again for that text's window filter (2 bytes per character).
    const bytes = entry.leaves.reduce((n, l) => n + l.text.length * 6, 0);
    if (bytes > this.maxBytes) return;
    // Keep the flow's metadata, not its body: the leaves already hold everything decoded.
    this.items.push({ ...entry, flow: { ...entry.flow, body: new Uint8Array() }, bytes });
    this.bytes += bytes;
    while (this.items.length > this.maxFlows || this.bytes > this.maxBytes) {
      const dropped = this.items.shift()!;
      this.bytes -= dropped.bytes;
    }
  }

  /** Requests at or after `since` (epoch ms), oldest first. */
  since(since: number): RecentFlow[] {
    return this.items.filter((r) => r.flow.time >= since);
  }
}
