import { api } from '../api/client.js';
import type { CanaryTest } from '../api/types.js';

export const listCanaries = () => api.get<CanaryTest[]>('/api/canaries');
export const startCanary = (note: string) => api.post<CanaryTest>('/api/canaries', note.trim() ? { note: note.trim() } : null);
export const endCanary = (token: string) => api.delete<{ ok: boolean }>(`/api/canaries/${encodeURIComponent(token)}`);
