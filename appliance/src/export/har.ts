import type { Header } from '../model/index.js';
import { headerValue } from '../model/index.js';
import type { StoredFlow } from '../store/flows.js';
import { bodyForHar } from './body-text.js';
import { devicePlatform } from './device-platform.js';
import type { Har, HarEntry, HarEntryRole, HarNameValue, TweaselMeta } from './har-format.js';

export interface HarExportMeta {
  applianceId: string;
  leakwatchVersion: string;
  nodeVersion: string;
  /** Epoch milliseconds of the export. */
  exportedAt: number;
  device: string;
  deviceName?: string;
  /** The alert the export is evidence for. */
  alertId?: string;
}

const NOT_RECORDED =
  'leakwatch does not record timings (time and timings are 0), response headers or response bodies (only the status, ' +
  'Content-Type and Location are kept), nor request bodies beyond 64 KiB (postData.comment says when a body is cut). ' +
  'In _tweasel, startDate and endDate are the first and last exported request; the app, and the device\'s model, ' +
  'manufacturer and architectures are unknown to a network appliance and left out; platform and osVersion are given ' +
  'only when the User-Agent headers of the exported requests agree on them.';

/** At the same millisecond, the page load still came first. */
const ROLE_ORDER: Record<HarEntryRole, number> = { navigation: 0, flow: 1, leak: 2 };

/** `a=1; b=2` → cookies, as HAR lists them beside the Cookie header. */
function cookiesOf(headers: readonly Header[]): HarNameValue[] {
  return headers
    .filter((h) => h.name.toLowerCase() === 'cookie')
    .flatMap((h) => h.value.split(';'))
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? { name: pair, value: '' } : { name: pair.slice(0, eq), value: pair.slice(eq + 1) };
    });
}

/** The query as sent, not decoded: evidence keeps the bytes the phone sent. */
function queryOf(url: string): HarNameValue[] {
  const q = url.indexOf('?');
  if (q < 0) return [];
  return url
    .slice(q + 1)
    .replace(/#.*$/, '')
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? { name: pair, value: '' } : { name: pair.slice(0, eq), value: pair.slice(eq + 1) };
    });
}

function postDataOf(flow: StoredFlow): HarEntry['request']['postData'] {
  if (flow.bodyBytes === 0) return undefined;
  const excerptCut = flow.excerpt.length < flow.bodyBytes;
  const cut = excerptCut || flow.sourceCut !== false;
  const { text, binary } = bodyForHar(flow.excerpt, cut);
  const notes: string[] = [];
  if (excerptCut) notes.push(`the first ${flow.excerpt.length} of ${flow.bodyBytes} bytes inspected`);
  if (flow.sourceCut === true) notes.push('the body was longer than the proxy inspects (proxy.maxInspectBytes)');
  if (flow.sourceCut === undefined) notes.push('recorded before leakwatch noted whether a body was cut');
  if (binary) notes.push('binary body: one character per byte (Latin-1)');
  const postData: NonNullable<HarEntry['request']['postData']> = { mimeType: headerValue(flow.headers ?? [], 'content-type') ?? '', text };
  if (notes.length > 0) postData.comment = notes.join('; ');
  return postData;
}

function entryOf(flow: StoredFlow, role: HarEntryRole): HarEntry {
  const headers = flow.headers ?? [];
  const postData = postDataOf(flow);
  const entry: HarEntry = {
    startedDateTime: new Date(flow.time).toISOString(),
    time: 0,
    request: {
      method: flow.method,
      url: flow.url,
      httpVersion: flow.httpVersion ?? '',
      cookies: cookiesOf(headers),
      headers: headers.map((h) => ({ name: h.name, value: h.value })),
      queryString: queryOf(flow.url),
      ...(postData ? { postData } : {}),
      headersSize: -1,
      // Known only when the whole body was seen.
      bodySize: flow.sourceCut === false ? flow.bodyBytes : -1,
      ...(flow.headers === undefined ? { comment: 'recorded before leakwatch kept request headers and the HTTP version: both unknown' } : {}),
    },
    response: {
      status: flow.response?.status ?? 0,
      statusText: '',
      httpVersion: flow.httpVersion ?? '',
      cookies: [],
      headers: [],
      content: { size: 0, mimeType: flow.response?.mimeType ?? '', comment: 'response body not recorded' },
      redirectURL: flow.response?.location ?? '',
      headersSize: -1,
      bodySize: -1,
      ...(flow.response ? {} : { comment: 'no response was seen (status 0)' }),
    },
    cache: {},
    timings: { blocked: -1, dns: -1, connect: -1, send: 0, wait: 0, receive: 0, ssl: -1 },
    _leakwatch: { flowId: flow.id, role, device: flow.device, source: flow.source },
  };
  if (flow.ip !== undefined) entry.serverIPAddress = flow.ip;
  return entry;
}

/**
 * A HAR 1.2 file of stored flows, oldest first (a page load before the request that leaked it),
 * readable unchanged by tweasel's TrackHAR and ReportHAR and by `leakwatch analyze`. Pure: the
 * caller passes the time and versions.
 */
export function buildHar(flows: readonly { flow: StoredFlow; role: HarEntryRole }[], meta: HarExportMeta): Har {
  if (flows.length === 0) throw new RangeError('a HAR export needs at least one flow');
  const ordered = [...flows].sort((a, b) => a.flow.time - b.flow.time || ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);
  const platform = devicePlatform(ordered.map((f) => f.flow.headers ?? []));
  const tweasel: TweaselMeta = {
    startDate: new Date(ordered[0]!.flow.time).toISOString(),
    endDate: new Date(ordered[ordered.length - 1]!.flow.time).toISOString(),
    // The appliance sees every app on the phone; it cannot tell which app sent a request.
    options: { mode: 'all-apps' },
    device: { runTarget: 'device', ...(platform ?? {}) },
    versions: { leakwatch: meta.leakwatchVersion, node: meta.nodeVersion },
    metaVersion: '1.0',
  };
  const device = meta.deviceName ? `${meta.device} (${meta.deviceName})` : meta.device;
  return {
    log: {
      version: '1.2',
      creator: { name: 'leakwatch', version: meta.leakwatchVersion },
      pages: [],
      entries: ordered.map((f) => entryOf(f.flow, f.role)),
      comment: `Exported by leakwatch ${meta.leakwatchVersion} on appliance ${meta.applianceId}: ${ordered.length} request(s) of device ${device}${meta.alertId ? `, evidence for alert ${meta.alertId}` : ''}. ${NOT_RECORDED}`,
      _tweasel: tweasel,
      _leakwatch: {
        applianceId: meta.applianceId,
        device: meta.device,
        ...(meta.deviceName ? { deviceName: meta.deviceName } : {}),
        exportedAt: new Date(meta.exportedAt).toISOString(),
        ...(meta.alertId ? { alertId: meta.alertId } : {}),
      },
    },
  };
}
