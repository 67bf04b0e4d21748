import { api, query } from '../api/client.js';
import type { AlertSummary, ListedAlert, Severity } from '../api/types.js';

export interface AlertFilter {
  device?: string;
  severities?: readonly Severity[];
  chinaLinked?: boolean;
  unread?: boolean;
}

export const PAGE_SIZE = 100;

const filterQuery = (f: AlertFilter) => ({
  device: f.device,
  severity: f.severities?.length ? f.severities.join(',') : undefined,
  chinaLinked: f.chinaLinked,
  unread: f.unread || undefined,
});

/** One page, newest first; `before` is the seq of the last alert of the previous page. */
export function listAlerts(filter: AlertFilter, before?: number, limit = PAGE_SIZE): Promise<ListedAlert[]> {
  return api.get(`/api/alerts${query({ ...filterQuery(filter), before, limit })}`);
}

export const getAlert = (id: string) => api.get<ListedAlert>(`/api/alerts/${encodeURIComponent(id)}`);
export const alertSummary = () => api.get<AlertSummary>('/api/alerts/summary');
export const acknowledge = (id: string) => api.post<{ ok: boolean }>(`/api/alerts/${encodeURIComponent(id)}/ack`);

/** Acknowledges every unread alert the filter selects (unread itself is implied). */
export function acknowledgeAll(filter: AlertFilter): Promise<{ acknowledged: number }> {
  const { unread: _unread, ...rest } = filterQuery(filter);
  return api.post('/api/alerts/ack', Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
}

export const harUrl = (id: string) => `/api/alerts/${encodeURIComponent(id)}/har`;
export const bundleUrl = (id: string) => `/api/alerts/${encodeURIComponent(id)}/bundle`;
