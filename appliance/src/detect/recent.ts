import type { Confidence, Flow } from '../model/index.js';
import type { RequestLeaf } from './request-leaves.js';
import type { PageContext } from './page-context.js';

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
    const bytes = entry.leaves.reduce((n, l) => n + l.text.length * 2, 0);
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
