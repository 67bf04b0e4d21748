import { api, ApiError } from '../api/client.js';

export const login = (password: string) => api.post<{ ok: boolean }>('/api/login', { password });
export const logout = () => api.post<{ ok: boolean }>('/api/logout');

/** Whether the admin session is valid now (a cheap authenticated call). */
export async function sessionValid(): Promise<boolean> {
  try {
    await api.get('/api/alerts/summary');
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.sessionLost) return false;
    throw error;
  }
}
