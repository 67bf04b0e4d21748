/**
 * The one place the page talks to the API: same origin, the session cookie, JSON both ways. Every
 * refusal becomes an ApiError with the API's code and message (what to do), and a network failure
 * one with code LW_UI_UNREACHABLE; a lost session is announced once to the app shell.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  /** The admin session is missing or expired: log in again. */
  get sessionLost(): boolean {
    return this.code === 'LW_ERR_AUTH_REQUIRED';
  }
}

export const UNREACHABLE = 'LW_UI_UNREACHABLE';

/** Fired on window when any call finds the session gone; the shell shows the login page. */
export const SESSION_LOST_EVENT = 'lw-session-lost';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function call<T>(method: Method, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, UNREACHABLE, "can't reach the appliance: is this phone still on its Wi-Fi? Try again in a moment.");
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const refusal = parsed as { error?: unknown; message?: unknown } | undefined;
    const error = new ApiError(
      response.status,
      typeof refusal?.error === 'string' ? refusal.error : `HTTP_${response.status}`,
      typeof refusal?.message === 'string' ? refusal.message : `the appliance answered ${response.status} ${response.statusText}`,
    );
    if (error.sessionLost) window.dispatchEvent(new CustomEvent(SESSION_LOST_EVENT));
    throw error;
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string) => call<T>('GET', path),
  post: <T>(path: string, body?: unknown) => call<T>('POST', path, body ?? null),
  put: <T>(path: string, body: unknown) => call<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => call<T>('PATCH', path, body),
  delete: <T>(path: string) => call<T>('DELETE', path),
};

/** A query string of the defined values only. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
