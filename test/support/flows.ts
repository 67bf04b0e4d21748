import type { Flow, Header } from '../../appliance/src/model/index.js';
import { initiatorFromHeaders } from '../../appliance/src/model/index.js';

/** Factories for flows, so each test shows only what matters to it. */
let counter = 0;
const T0 = Date.parse('2026-11-01T10:00:00Z');

export interface FlowInit {
  device?: string;
  time?: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  ip?: string;
  resourceType?: string;
  response?: Flow['response'];
}

export function flow(url: string, init: FlowInit = {}): Flow {
  const u = new URL(url);
  const headers: Header[] = Object.entries(init.headers ?? {}).map(([name, value]) => ({ name, value }));
  const body = typeof init.body === 'string' ? new TextEncoder().encode(init.body) : (init.body ?? new Uint8Array());
  const f: Flow = {
    id: `test:${counter++}`,
    device: init.device ?? 'phone',
    time: init.time ?? T0,
    method: init.method ?? 'GET',
    url,
    headers,
    body,
    destination: { host: u.hostname, port: Number(u.port) || (u.protocol === 'https:' ? 443 : 80), ...(init.ip ? { ip: init.ip } : {}) },
    source: 'har',
    initiator: initiatorFromHeaders(headers, init.resourceType),
  };
  if (init.response) f.response = init.response;
  return f;
}

/** A top-level page load as a Chromium-based browser sends it. */
export function navigation(url: string, init: FlowInit = {}): Flow {
  return flow(url, {
    ...init,
    headers: {
      'User-Agent': 'Mozilla/5.0 (Linux; Android 10; Redmi Note 8) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36',
      Accept: 'text/html,application/xhtml+xml',
      'Sec-Fetch-Mode': 'navigate',
      'Sec-Fetch-Dest': 'document',
      'Sec-Fetch-Site': 'none',
      ...init.headers,
    },
    response: { status: 200, mimeType: 'text/html' },
  });
}

/** A request an app SDK makes: library user agent, no Sec-Fetch, no Referer. */
export function telemetry(url: string, body: string | Uint8Array, init: FlowInit = {}): Flow {
  return flow(url, {
    method: 'POST',
    ...init,
    body,
    headers: { 'User-Agent': 'Dalvik/2.1.0 (Linux; U; Android 10; Redmi Note 8 Build/QKQ1.200114.002)', 'Content-Type': 'application/json', ...init.headers },
  });
}

export const at = (seconds: number): number => T0 + seconds * 1000;
