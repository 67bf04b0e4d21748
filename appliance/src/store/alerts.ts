import type { Database as Db } from 'better-sqlite3';
import type { Alert, Flow } from '../model/index.js';

/** What is kept of a flow as evidence: metadata and a bounded body excerpt. */
export const FLOW_EXCERPT_BYTES = 64 * 1024;

export interface AlertQuery {
  since?: number;
  device?: string;
  chinaLinked?: boolean;
  limit?: number;
}

/**
 * Alerts, with the flows they came from. Storing an alert and queueing its MQTT message happen in
 * one transaction: a committed alert is always delivered (ARCHITECTURE decision 9).
 */
export class AlertStore {
  private readonly insertFlow;
  private readonly insertAlert;
  private readonly insertOutbox;
  private readonly touchDevice;

  constructor(private readonly db: Db) {
    this.insertFlow = db.prepare(`INSERT OR IGNORE INTO flows (id, device, time, method, url, host, ip, port, source, status, body_bytes, body_excerpt,
        http_version, request_headers, response_mime, response_location, body_truncated, tls_decryption, ja4)
      VALUES (@id, @device, @time, @method, @url, @host, @ip, @port, @source, @status, @bodyBytes, @excerpt,
        @httpVersion, @headers, @responseMime, @responseLocation, @bodyTruncated, @tlsDecryption, @ja4)`);
    this.insertAlert = db.prepare(`INSERT OR IGNORE INTO alerts (id, time, device, severity, confidence, kind, value, china_linked, host, flow_id, json)
      VALUES (@id, @time, @device, @severity, @confidence, @kind, @value, @chinaLinked, @host, @flowId, @json)`);
    this.insertOutbox = db.prepare('INSERT INTO outbox (alert_id, topic, payload, created) VALUES (?, ?, ?, ?)');
    this.touchDevice = db.prepare(`INSERT INTO devices (id, first_seen, last_seen) VALUES (?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET first_seen = MIN(first_seen, excluded.first_seen), last_seen = MAX(last_seen, excluded.last_seen)`);
  }

  /** Stores the flow and its alerts, and queues each alert for delivery on `topic`; all or nothing. */
  record(flow: Flow, alerts: readonly Alert[], topic: string | undefined): void {
    this.recordMany([{ flow, alerts }], topic);
  }

  /** Several flows with their alerts in one transaction; each device's row is touched once per batch. */
  recordMany(batch: readonly { flow: Flow; alerts: readonly Alert[] }[], topic: string | undefined): void {
    const seen = new Map<string, { first: number; last: number }>();
    for (const { flow } of batch) {
      const span = seen.get(flow.device);
      if (!span) seen.set(flow.device, { first: flow.time, last: flow.time });
      else {
        span.first = Math.min(span.first, flow.time);
        span.last = Math.max(span.last, flow.time);
      }
    }
    this.db.transaction(() => {
      for (const [device, { first, last }] of seen) this.touchDevice.run(device, first, last);
      for (const { flow, alerts } of batch) this.insert(flow, alerts, topic);
    })();
  }

  private insert(flow: Flow, alerts: readonly Alert[], topic: string | undefined): void {
    {
      this.insertFlow.run({
        id: flow.id, device: flow.device, time: flow.time, method: flow.method, url: flow.url, host: flow.destination.host,
        ip: flow.destination.ip ?? null, port: flow.destination.port, source: flow.source, status: flow.response?.status ?? null,
        bodyBytes: flow.body.length, excerpt: Buffer.from(flow.body.subarray(0, FLOW_EXCERPT_BYTES)),
        httpVersion: flow.httpVersion ?? null, headers: JSON.stringify(flow.headers), responseMime: flow.response?.mimeType ?? null,
        responseLocation: flow.response?.location ?? null, bodyTruncated: flow.bodyTruncated ? 1 : 0,
        tlsDecryption: flow.tls?.decryption ?? null, ja4: flow.tls?.ja4 ?? null,
      });
      for (const a of alerts) {
        const json = JSON.stringify(a);
        const inserted = this.insertAlert.run({
          id: a.id, time: Date.parse(a.time), device: a.device, severity: a.severity, confidence: a.confidence, kind: a.data.kind,
          value: a.data.value, chinaLinked: a.destination.chinaLinked ? 1 : 0, host: a.destination.host, flowId: a.flow.id, json,
        });
        // The same alert id again (a re-delivered flow) is neither stored nor sent twice.
        if (inserted.changes > 0 && topic) this.insertOutbox.run(a.id, topic, json, Date.parse(a.time));
      }
    }
  }

  list(query: AlertQuery = {}): Alert[] {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: query.limit ?? 100 };
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
    const sql = `SELECT json FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY time DESC, id LIMIT @limit`;
    return (this.db.prepare(sql).all(params) as { json: string }[]).map((r) => JSON.parse(r.json) as Alert);
  }

  get(id: string): Alert | undefined {
    const row = this.db.prepare('SELECT json FROM alerts WHERE id = ?').get(id) as { json: string } | undefined;
    return row ? (JSON.parse(row.json) as Alert) : undefined;
  }

  acknowledge(id: string): boolean {
    return this.db.prepare('UPDATE alerts SET acknowledged = 1 WHERE id = ?').run(id).changes > 0;
  }
}
