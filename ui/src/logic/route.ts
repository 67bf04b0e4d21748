/** The page's views, by the hash part of its address (#/alerts/abc): a reload keeps the view. */
export type View = 'alerts' | 'alert' | 'devices' | 'device' | 'canary' | 'setup' | 'selftest' | 'settings' | 'flows' | 'flow' | 'login';

export interface Route {
  view: View;
  id?: string;
  /** The alerts of one device (#/alerts?device=…). */
  device?: string;
}

const LIST: Record<string, View> = { alerts: 'alerts', devices: 'devices', canary: 'canary', setup: 'setup', selftest: 'selftest', settings: 'settings', flows: 'flows', login: 'login' };
const ITEM: Record<string, View> = { alerts: 'alert', devices: 'device', flows: 'flow' };

/** Views anyone on the hotspot may see: installing the CA comes before having a password. */
export const PUBLIC_VIEWS: ReadonlySet<View> = new Set(['setup', 'login']);

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?');
  const [section = '', ...rest] = path.split('/');
  const id = rest.length ? safeDecode(rest.join('/')) : undefined;
  if (id !== undefined && ITEM[section]) return { view: ITEM[section], id };
  const view = LIST[section] ?? 'alerts';
  const device = view === 'alerts' ? new URLSearchParams(search).get('device') : null;
  return device ? { view, device } : { view };
}

/** The alerts view showing one device's alerts. */
export function deviceAlertsHref(device: string): string {
  return `#/alerts?device=${encodeURIComponent(device)}`;
}

export function href(view: View, id?: string): string {
  const section = Object.entries(ITEM).find(([, v]) => v === view)?.[0] ?? view;
  return id === undefined ? `#/${section}` : `#/${section}/${encodeURIComponent(id)}`;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
