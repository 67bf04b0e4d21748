import type { Database as Db } from 'better-sqlite3';
import type { FlowResponse, FlowSource, FlowTls, Header } from '../model/index.js';

/** What every view of a stored flow has. */
interface FlowKey {
  id: string;
  device: string;
  /** Epoch milliseconds when the request started. */
  time: number;
  method: string;
  url: string;
  host: string;
  port: number;
}

/**
 * A flow as the store keeps it: metadata, request headers and a bounded body excerpt. Fields that
 * rows from schema version 1 lack are `undefined` ("not recorded"), never an empty value.
 */
export interface StoredFlow extends FlowKey {
  ip?: string;
  source: FlowSource;
  httpVersion?: string;
  headers?: Header[];
  response?: FlowResponse;
  /** Body bytes the source handed on (all of them, or its bounded copy when `sourceCut`). */
  bodyBytes: number;
  /** The first FLOW_EXCERPT_BYTES of those. */
  excerpt: Uint8Array;
  /** True when the source itself kept only a prefix of a longer body. */
  sourceCut?: boolean;
  /** How the connection's TLS was seen; absent for plain HTTP and rows from before schema version 3. */
  tls?: FlowTls;
}

/** One row of a flow search: enough to pick a flow, not its headers or body. */
export interface FlowSummary extends FlowKey {
  ip: string | null;
  status: number | null;
  bodyBytes: number;
  alertCount: number;
}

export interface FlowSearch {
  device?: string;
  /** Exact host. */
  host?: string;
  /** Part of the host, case-insensitively. */
  hostContains?: string;
  since?: number;
  until?: number;
  method?: string;
  /** Part of the URL, case-insensitively. */
  urlContains?: string;
  hasAlert?: boolean;
  limit: number;
  /** Where the previous page ended (`nextCursor` of that page). */
  after?: FlowCursor;
}

/** A host a device talked to: how many stored requests, and the newest one's time. */
export interface HostSeen {
  host: string;
  count: number;
  last: number;
}

/** A position in the newest-first order: time, then id, both descending. */
export interface FlowCursor {
  time: number;
  id: string;
}

/** A row of the flows table as SQLite returns it: the summary's columns, and the rest by their SQL names. */
interface FlowRow extends Omit<FlowSummary, 'bodyBytes' | 'alertCount'> {
  source: FlowSource;
  body_bytes: number;
  body_excerpt: Buffer | null;
  http_version: string | null;
  request_headers: string | null;
  response_mime: string | null;
  response_location: string | null;
  body_truncated: number | null;
  tls_decryption: FlowTls['decryption'] | null;
  ja4: string | null;
}

/** `%` and `_` are LIKE wildcards; a search for `a_b` means those three characters. */
function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Reads flows for the API and exports; AlertStore writes them. */
export class FlowStore {
  constructor(private readonly db: Db) {}

  /** Newest first, one page of at most `limit`; `next` is set when there may be more. */
  search(q: FlowSearch): { flows: FlowSummary[]; next?: FlowCursor } {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: q.limit + 1 };
    const add = (clause: string, name: string, value: unknown) => {
      where.push(clause);
      params[name] = value;
    };
    if (q.device !== undefined) add('f.device = @device', 'device', q.device);
    if (q.host !== undefined) add('f.host = @host', 'host', q.host);
    if (q.hostContains !== undefined) add("f.host LIKE @hostLike ESCAPE '\\'", 'hostLike', likeContains(q.hostContains));
    if (q.since !== undefined) add('f.time >= @since', 'since', q.since);
    if (q.until !== undefined) add('f.time <= @until', 'until', q.until);
    if (q.method !== undefined) add('f.method = @method', 'method', q.method.toUpperCase());
    if (q.urlContains !== undefined) add("f.url LIKE @urlLike ESCAPE '\\'", 'urlLike', likeContains(q.urlContains));
    if (q.hasAlert !== undefined) where.push(`${q.hasAlert ? '' : 'NOT '}EXISTS (SELECT 1 FROM alerts a WHERE a.flow_id = f.id)`);
    if (q.after) {
      where.push('(f.time < @afterTime OR (f.time = @afterTime AND f.id < @afterId))');
      params.afterTime = q.after.time;
      params.afterId = q.after.id;
    }
    const rows = this.db
      .prepare(`SELECT f.id, f.device, f.time, f.method, f.url, f.host, f.ip, f.port, f.status, f.body_bytes AS bodyBytes,
          (SELECT COUNT(*) FROM alerts a WHERE a.flow_id = f.id) AS alertCount
        FROM flows f ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY f.time DESC, f.id DESC LIMIT @limit`)
      .all(params) as FlowSummary[];
    if (rows.length <= q.limit) return { flows: rows };
    const flows = rows.slice(0, q.limit);
    const last = flows[flows.length - 1]!;
    return { flows, next: { time: last.time, id: last.id } };
  }

  get(id: string): StoredFlow | undefined {
    const row = this.db.prepare('SELECT * FROM flows WHERE id = ?').get(id) as FlowRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  /**
   * The stored page load that made `browsedUrl` a browsing value for `device`: the one at
   * `browsedAt` if kept, else the nearest earlier one before `before` (the leaking request).
   */
  navigation(device: string, browsedUrl: string, browsedAt: number, before: number): StoredFlow | undefined {
    const row = this.db
      .prepare('SELECT * FROM flows WHERE device = ? AND url = ? AND time <= ? ORDER BY time = ? DESC, time DESC LIMIT 1')
      .get(device, browsedUrl, before, browsedAt) as FlowRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** The hosts a device reached since `since` (epoch ms), with how often and when last. */
  hostsOf(device: string, since: number): HostSeen[] {
    return this.db.prepare('SELECT host, COUNT(*) AS count, MAX(time) AS last FROM flows WHERE device = ? AND time >= ? GROUP BY host').all(device, since) as HostSeen[];
  }

  /** Hosts whose TLS was relayed untouched for the device (it refused our certificate): not inspected. */
  passedThrough(device: string): HostSeen[] {
    return this.db.prepare(`SELECT host, COUNT(*) AS count, MAX(time) AS last FROM flows WHERE device = ? AND tls_decryption = 'passthrough'
      GROUP BY host ORDER BY last DESC LIMIT 500`).all(device) as HostSeen[];
  }

  /** Hosts passed through (not inspected) between two times, for one device or (null) all. */
  passedThroughBetween(device: string | null, from: number, to: number): HostSeen[] {
    return this.db.prepare(`SELECT host, COUNT(*) AS count, MAX(time) AS last FROM flows WHERE tls_decryption = 'passthrough' AND time BETWEEN ? AND ?
      ${device === null ? '' : 'AND device = ?'} GROUP BY host ORDER BY count DESC LIMIT 200`).all(...(device === null ? [from, to] : [from, to, device])) as HostSeen[];
  }

  /** Ids of the alerts raised on a flow, newest first. */
  alertIds(flowId: string): string[] {
    return (this.db.prepare('SELECT id FROM alerts WHERE flow_id = ? ORDER BY time DESC, id').all(flowId) as { id: string }[]).map((r) => r.id);
  }
}

function fromRow(row: FlowRow): StoredFlow {
  const flow: StoredFlow = {
    id: row.id, device: row.device, time: row.time, method: row.method, url: row.url, host: row.host, port: row.port, source: row.source,
    bodyBytes: row.body_bytes, excerpt: row.body_excerpt ?? new Uint8Array(),
  };
  if (row.ip !== null) flow.ip = row.ip;
  if (row.http_version !== null) flow.httpVersion = row.http_version;
  if (row.request_headers !== null) flow.headers = JSON.parse(row.request_headers) as Header[];
  if (row.status !== null) {
    const response: FlowResponse = { status: row.status };
    if (row.response_mime !== null) response.mimeType = row.response_mime;
    if (row.response_location !== null) response.location = row.response_location;
    flow.response = response;
  }
  if (row.body_truncated !== null) flow.sourceCut = row.body_truncated === 1;
  if (row.tls_decryption !== null) flow.tls = { decryption: row.tls_decryption, ...(row.ja4 !== null ? { ja4: row.ja4 } : {}) };
  return flow;
}
