import type { Alert } from '../model/index.js';
import type { FlowStore, StoredFlow } from '../store/flows.js';
import type { BundleFlow } from './bundle.js';
import type { HarEntryRole } from './har-format.js';

export interface AlertFlows {
  /** The stored flows, for the HAR. */
  stored: { flow: StoredFlow; role: HarEntryRole }[];
  /** Every flow the alert points to, stored or not, for the bundle's manifest. */
  listed: BundleFlow[];
}

const RETENTION = 'no longer stored: retention deletes flows older than retention.maxAgeDays, and the oldest first when the database is over retention.maxBytes';

const OTHER_RUN = 'not stored: the stored flow with this id is another request, from an earlier run of leakwatch that numbered flows the same way';

/**
 * The flows that are evidence for an alert: the request that leaked and, for a confirmed alert,
 * the page load that made the value browsing data.
 */
export function alertFlows(alert: Alert, flows: FlowStore): AlertFlows {
  const stored: AlertFlows['stored'] = [];
  const listed: BundleFlow[] = [];
  const leakTime = Date.parse(alert.flow.time);
  const leak = flows.get(alert.flow.id);
  // Only the flow recorded at the alert's time is its flow: before flow ids named the proxy's run,
  // each run counted from proxy:0 again, so an older database may hold another request under the
  // alert's flow id.
  if (leak && leak.device === alert.device && leak.time === leakTime) {
    stored.push({ flow: leak, role: 'leak' });
    listed.push({ role: 'leak', url: leak.url, id: leak.id });
  } else listed.push({ role: 'leak', url: alert.flow.url, id: alert.flow.id, missing: leak ? OTHER_RUN : RETENTION });

  const { browsedUrl, browsedAt } = alert.evidence;
  if (alert.confidence === 'confirmed' && browsedUrl && browsedAt !== undefined) {
    const page = flows.navigation(alert.device, browsedUrl, browsedAt, leakTime);
    if (page) {
      stored.push({ flow: page, role: 'navigation' });
      listed.push({ role: 'navigation', url: page.url, id: page.id });
    } else listed.push({ role: 'navigation', url: browsedUrl, missing: `${RETENTION}, or the page was loaded before leakwatch stored this device's flows` });
  }
  return { stored, listed };
}
