import { api } from '../api/client.js';
import type { Downtime, HealthSample, PublicInfo, SelfTestReport, Settings, SystemHealth } from '../api/types.js';

export const publicInfo = () => api.get<PublicInfo>('/api/info');
export const systemHealth = () => api.get<SystemHealth>('/api/system');
export const healthHistory = () => api.get<HealthSample[]>('/api/system/history');
export const getSettings = () => api.get<Settings>('/api/settings');
export const changeRetention = (change: { 'retention.maxAgeDays'?: number | null; 'retention.maxBytes'?: number | null }) => api.put<Settings>('/api/settings', change);
export const changePassword = (current: string, next: string) => api.post<{ ok: boolean }>('/api/password', { current, next });
export const selfTestReport = () => api.get<SelfTestReport>('/api/selftest');
export const downtime = () => api.get<Downtime[]>('/api/system/downtime');
