import type { Database as Db } from 'better-sqlite3';
import type { Alert, Confidence, Flow, Severity } from '../model/index.js';
import { CONFIDENCE_RANK } from '../model/index.js';
import { Outbox } from './outbox.js';
import type { OutboxMessage } from './outbox.js';

/** What is kept of a flow as evidence: metadata and a bounded body excerpt. */
export const FLOW_EXCERPT_BYTES = 64 * 1024;

export interface AlertQuery {
  /** Epoch ms: alerts on requests made at or after it. */
  since?: number;
  device?: string;
  chinaLinked?: boolean;
  /** Only these severities. */
  severities?: readonly Severity[];
  /** Only alerts not yet acknowledged. */
  unread?: boolean;
  /** Alerts stored before this `seq` (the next page). */
  before?: number;
  limit?: number;
}

/** An alert as the API lists it: the alert JSON, where it stands in the store's order, and whether the admin has seen it. */
export type ListedAlert = Alert & { seq: number; acknowledged: boolean };

interface AlertRow {
  json: string;
  seq: number;
  acknowledged: number;
}

const TIER_SQL = (column: string) => `CASE ${column} WHEN 'proven' THEN 2 WHEN 'confirmed' THEN 1 ELSE 0 END`;

const listed = (row: AlertRow): ListedAlert => ({ ...(JSON.parse(row.json) as Alert), seq: row.seq, acknowledged: row.acknowledged === 1 });

function filterOf(query: AlertQuery): { where: string[]; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (query.since !== undefined) {
    where.push('time >= @since');
    params.since = query.since;
  }
  if (query.device !== undefined) {
    where.push('device = @device');
    params.device = query.device;
  }
  if (query.chinaLinked !== undefined) {
    where.push('china_linked = @china');
    params.china = query.chinaLinked ? 1 : 0;
  }
  if (query.severities !== undefined) {
    // Bound one by one: the values are a closed set, but never build SQL from request text.
    const names = query.severities.map((s, i) => {
      params[`severity${i}`] = s;
      return `@severity${i}`;
    });
    where.push(names.length ? `severity IN (${names.join(', ')})` : '0');
  }
  if (query.unread) where.push('acknowledged = 0');
  return { where, params };
}

/** What one batch changed: alerts added or upgraded, and the MQTT messages queued for them. */
export interface Recorded {
  alerts: Alert[];
  queued: OutboxMessage[];
}

/**
 * Alerts, with the flows they came from. Storing an alert and queueing its MQTT message happen in
 * one transaction: a committed alert is always delivered (ARCHITECTURE decision 9).
 */
export class AlertStore {
  private readonly insertFlow;
  private readonly upsertAlert;
  private readonly confidenceOf;
  private readonly outbox;

  constructor(private readonly db: Db) {
    // Positional parameters: every flow passes here, and binding by name costs 15 % more per insert.
    this.insertFlow = db.prepare(`INSERT OR IGNORE INTO flows (id, device, time, method, url, host, ip, port, source, status, body_bytes, body_excerpt,
        http_version, request_headers, response_mime, response_location, body_truncated, tls_decryption, ja4)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    // seq: the order alerts reached the store in (live streams resume after the last one they sent).
    // The same id again with a higher tier (suspected, then confirmed by a page load seen later) is
    // an upgrade: the row follows the highest tier, moves to the end of the order so live streams
    // and pagers see it again, and is unread again. The same or a lower tier changes nothing.
    this.upsertAlert = db.prepare(`INSERT INTO alerts (id, time, device, severity, confidence, kind, value, china_linked, host, flow_id, json, seq)
      VALUES (@id, @time, @device, @severity, @confidence, @kind, @value, @chinaLinked, @host, @flowId, @json, (SELECT COALESCE(MAX(seq), 0) + 1 FROM alerts))
      ON CONFLICT (id) DO UPDATE SET severity = excluded.severity, confidence = excluded.confidence, china_linked = excluded.china_linked,
        json = excluded.json, acknowledged = 0, seq = (SELECT MAX(seq) + 1 FROM alerts)
      WHERE ${TIER_SQL('excluded.confidence')} > ${TIER_SQL('alerts.confidence')}`);
    this.confidenceOf = db.prepare('SELECT confidence FROM alerts WHERE id = ?').pluck();
    this.outbox = new Outbox(db);
  }

  /**
   * Stores the flow and its alerts, and queues each alert for delivery on `topic`; all or nothing.
   * Returns the alerts that changed the store: new ones, and upgrades (marked `upgradedFrom`).
   */
  record(flow: Flow, alerts: readonly Alert[], topic: string | undefined): Alert[] {
    return this.recordMany([{ flow, alerts }], topic);
  }

  /**
   * Several flows with their alerts in one transaction. The devices table is not written here: its
   * one writer is the DeviceStore on the proxy's thread, which records each device as its flows are
   * labelled, before they reach this store.
   */
  recordMany(batch: readonly { flow: Flow; alerts: readonly Alert[] }[], topic: string | undefined): Alert[] {
    return this.recordQueued(batch, topic).alerts;
  }

  /**
   * recordMany, also returning the MQTT messages it queued, in outbox order: the publisher sends
   * these without reading them back from the outbox.
   */
  recordQueued(batch: readonly { flow: Flow; alerts: readonly Alert[] }[], topic: string | undefined): Recorded {
    const recorded: Recorded = { alerts: [], queued: [] };
    this.db.transaction(() => {
      for (const { flow, alerts } of batch) {
        this.insertFlow.run(
          flow.id, flow.device, flow.time, flow.method, flow.url, flow.destination.host,
          flow.destination.ip ?? null, flow.destination.port, flow.source, flow.response?.status ?? null,
          flow.body.length, Buffer.from(flow.body.subarray(0, FLOW_EXCERPT_BYTES)),
          flow.httpVersion ?? null, JSON.stringify(flow.headers), flow.response?.mimeType ?? null,
          flow.response?.location ?? null, flow.bodyTruncated ? 1 : 0,
          flow.tls?.decryption ?? null, flow.tls?.ja4 ?? null,
        );
        for (const alert of alerts) this.upsert(alert, topic, recorded);
      }
    })();
    return recorded;
  }

  /**
   * The same alert id again at the same or a lower tier (a re-delivered flow) is neither stored nor
   * sent twice; at a higher tier it replaces the stored one and is sent again, as an update.
   */
  private upsert(alert: Alert, topic: string | undefined, recorded: Recorded): void {
    const before = this.confidenceOf.get(alert.id) as Confidence | undefined;
    if (before !== undefined && CONFIDENCE_RANK[before] >= CONFIDENCE_RANK[alert.confidence]) return;
    const stored: Alert = before === undefined ? alert : { ...alert, upgradedFrom: before };
    const json = JSON.stringify(stored);
    this.upsertAlert.run({
      id: stored.id, time: Date.parse(stored.time), device: stored.device, severity: stored.severity, confidence: stored.confidence, kind: stored.data.kind,
      value: stored.data.value, chinaLinked: stored.destination.chinaLinked ? 1 : 0, host: stored.destination.host, flowId: stored.flow.id, json,
    });
    recorded.alerts.push(stored);
    if (!topic) return;
    recorded.queued.push(this.outbox.enqueue(stored.id, topic, json, Date.parse(stored.time)));
  }

  /** One page, newest first (by the order alerts were stored in); `before` is the `seq` the previous page ended at. */
  list(query: AlertQuery = {}): ListedAlert[] {
    const { where, params } = filterOf(query);
    params.limit = query.limit ?? 100;
    if (query.before !== undefined) {
      where.push('seq < @before');
      params.before = query.before;
    }
    const sql = `SELECT json, seq, acknowledged FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT @limit`;
    return (this.db.prepare(sql).all(params) as AlertRow[]).map(listed);
  }

  /** Alerts stored after `seq`, oldest first: what a live stream that saw `seq` has missed. */
  after(seq: number, limit: number): ListedAlert[] {
    return (this.db.prepare('SELECT json, seq, acknowledged FROM alerts WHERE seq > ? ORDER BY seq LIMIT ?').all(seq, limit) as AlertRow[]).map(listed);
  }

  /** The `seq` of the last alert stored; 0 when there is none. */
  latestSeq(): number {
    return (this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM alerts').get() as { seq: number }).seq;
  }

  get(id: string): ListedAlert | undefined {
    const row = this.db.prepare('SELECT json, seq, acknowledged FROM alerts WHERE id = ?').get(id) as AlertRow | undefined;
    return row ? listed(row) : undefined;
  }

  /** The proven alerts of a canary session, oldest first. */
  ofCanarySession(session: string): ListedAlert[] {
    return (this.db.prepare(`SELECT json, seq, acknowledged FROM alerts WHERE kind = 'canary' AND json_extract(json, '$.data.canary.session') = ? ORDER BY seq`).all(session) as AlertRow[]).map(listed);
  }

  /** Alerts not yet acknowledged, in all and per device. */
  unread(): { total: number; byDevice: Record<string, number> } {
    const rows = this.db.prepare('SELECT device, COUNT(*) AS n FROM alerts WHERE acknowledged = 0 GROUP BY device').all() as { device: string; n: number }[];
    return { total: rows.reduce((sum, r) => sum + r.n, 0), byDevice: Object.fromEntries(rows.map((r) => [r.device, r.n])) };
  }

  /** Acknowledges every alert the filter selects (all of them without one); returns how many changed. */
  acknowledgeAll(query: Pick<AlertQuery, 'device' | 'chinaLinked' | 'severities'> = {}): number {
    const { where, params } = filterOf(query);
    where.push('acknowledged = 0');
    return this.db.prepare(`UPDATE alerts SET acknowledged = 1 WHERE ${where.join(' AND ')}`).run(params).changes;
  }

  acknowledge(id: string): boolean {
    return this.db.prepare('UPDATE alerts SET acknowledged = 1 WHERE id = ?').run(id).changes > 0;
  }
}
