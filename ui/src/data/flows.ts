import { api, query } from '../api/client.js';
import type { FlowDetail, FlowPage } from '../api/types.js';

export interface FlowFilter {
  device?: string;
  hostContains?: string;
  q?: string;
  hasAlert?: boolean;
}

export function searchFlows(filter: FlowFilter, cursor?: string): Promise<FlowPage> {
  return api.get(`/api/flows${query({ ...filter, cursor, limit: 50 })}`);
}

export const getFlow = (id: string) => api.get<FlowDetail>(`/api/flows/${encodeURIComponent(id)}`);
export const flowHarUrl = (id: string) => `/api/flows/${encodeURIComponent(id)}/har`;
