import { api } from '../api/client.js';
import type { CanaryRoundView, CanarySessionView } from '../api/types.js';

const path = (id: string) => `/api/canary-sessions/${encodeURIComponent(id)}`;

export const listSessions = () => api.get<CanarySessionView[]>('/api/canary-sessions');
export const startSession = (app: string, device: string | null) => api.post<CanarySessionView>('/api/canary-sessions', { app, device });
export const openRound = (id: string, mode: string) => api.post<CanaryRoundView>(`${path(id)}/rounds`, { mode });
export const closeRound = (id: string) => api.post<CanarySessionView>(`${path(id)}/rounds/close`);
export const endSession = (id: string) => api.post<CanarySessionView>(`${path(id)}/close`);
export const reportUrl = (id: string, format: 'md' | 'json' | 'zip') => `${path(id)}/report.${format}`;
