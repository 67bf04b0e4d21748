import { api, ApiError } from '../api/client.js';
import type { AlertSummary } from '../api/types.js';

export const login = (password: string) => api.post<{ ok: boolean }>('/api/login', { password });
export const logout = () => api.post<{ ok: boolean }>('/api/logout');

/** The alerts' summary when the admin session is valid now, undefined when it is not. */
export async function sessionSummary(): Promise<AlertSummary | undefined> {
  try {
    return await api.get<AlertSummary>('/api/alerts/summary');
  } catch (error) {
    if (error instanceof ApiError && error.sessionLost) return undefined;
    throw error;
  }
}

/** Whether the admin session is valid now (a cheap authenticated call). */
export async function sessionValid(): Promise<boolean> {
  return (await sessionSummary()) !== undefined;
}
