/**
 * Schema versions, applied in order at start, each in one transaction that also bumps
 * `PRAGMA user_version` (Pi-hole's numbered migrations). Appliances in the field skip releases,
 * so every step stays here for good.
 */
export interface Migration {
  version: number;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        name TEXT,
        first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL
      );
      CREATE TABLE flows (
        id TEXT PRIMARY KEY,
        device TEXT NOT NULL,
        time INTEGER NOT NULL,
        method TEXT NOT NULL,
        url TEXT NOT NULL,
        host TEXT NOT NULL,
        ip TEXT,
        port INTEGER NOT NULL,
        source TEXT NOT NULL,
        status INTEGER,
        body_bytes INTEGER NOT NULL,
        body_excerpt BLOB
      );
      CREATE INDEX flows_time ON flows (time);
      CREATE INDEX flows_device_time ON flows (device, time);
      CREATE TABLE alerts (
        id TEXT PRIMARY KEY,
        time INTEGER NOT NULL,
        device TEXT NOT NULL,
        severity TEXT NOT NULL,
        confidence TEXT NOT NULL,
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        china_linked INTEGER NOT NULL,
        host TEXT NOT NULL,
        flow_id TEXT NOT NULL,
        acknowledged INTEGER NOT NULL DEFAULT 0,
        json TEXT NOT NULL
      );
      CREATE INDEX alerts_time ON alerts (time);
      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        alert_id TEXT NOT NULL,
        topic TEXT NOT NULL,
        payload TEXT NOT NULL,
        created INTEGER NOT NULL
      );
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE canaries (token TEXT PRIMARY KEY, created INTEGER NOT NULL, note TEXT);
    `,
  },
  {
    // What a HAR export needs beyond version 1's columns. Rows from version 1 keep NULL here,
    // which exports read as "not recorded", never as "empty".
    version: 2,
    sql: `
      ALTER TABLE flows ADD COLUMN http_version TEXT;
      ALTER TABLE flows ADD COLUMN request_headers TEXT; -- JSON [{"name","value"}], in the order sent
      ALTER TABLE flows ADD COLUMN response_mime TEXT;
      ALTER TABLE flows ADD COLUMN response_location TEXT;
      ALTER TABLE flows ADD COLUMN body_truncated INTEGER; -- 1: the source kept only a prefix of the body
      -- Flow search: exact host, newest first; "has an alert" and an alert's flow by flow id.
      CREATE INDEX flows_host_time ON flows (host, time);
      CREATE INDEX alerts_flow ON alerts (flow_id);
    `,
  },
  {
    // Devices as the hotspot knows them: MAC (flows name a device by it when known), DHCP name,
    // IEEE vendor, and whether the MAC is randomised. Flows: how their TLS was seen, and the client's JA4.
    version: 3,
    sql: `
      ALTER TABLE devices ADD COLUMN mac TEXT;
      ALTER TABLE devices ADD COLUMN ip TEXT;
      ALTER TABLE devices ADD COLUMN hostname TEXT;
      ALTER TABLE devices ADD COLUMN vendor TEXT;
      ALTER TABLE devices ADD COLUMN vendor_country TEXT;
      ALTER TABLE devices ADD COLUMN randomised_mac INTEGER;
      ALTER TABLE flows ADD COLUMN tls_decryption TEXT; -- intercepted | passthrough; NULL: not TLS (or not recorded)
      ALTER TABLE flows ADD COLUMN ja4 TEXT;
    `,
  },
  {
    // The order alerts reached the store in, for the web page: paging newest first and live
    // streams that catch up after a reconnect (SSE Last-Event-ID). Existing alerts are numbered by time.
    version: 4,
    sql: `
      ALTER TABLE alerts ADD COLUMN seq INTEGER;
      UPDATE alerts SET seq = o.n FROM (SELECT rowid AS r, ROW_NUMBER() OVER (ORDER BY time, rowid) AS n FROM alerts) AS o WHERE alerts.rowid = o.r;
      CREATE UNIQUE INDEX alerts_seq ON alerts (seq);
      CREATE INDEX alerts_device_seq ON alerts (device, seq);
    `,
  },
  {
    // When leakwatch was not running: phones kept their internet (the redirect is removed while it is
    // down), uninspected. The page says so. `reason`: stopped (a clean stop) or crashed.
    version: 5,
    sql: `
      CREATE TABLE downtime (start INTEGER NOT NULL, end INTEGER NOT NULL, reason TEXT NOT NULL);
      CREATE INDEX downtime_end ON downtime (end);
    `,
  },
  {
    // Canary sessions (the incognito experiment): the app and device under test, rounds each with
    // its browsing mode and its own canaries, the verdict kept once the watch window has passed.
    version: 6,
    sql: `
      CREATE TABLE canary_sessions (
        id TEXT PRIMARY KEY,
        created INTEGER NOT NULL,
        app TEXT NOT NULL,
        device TEXT,
        watch_ms INTEGER NOT NULL,
        closed INTEGER,
        finalized INTEGER,
        report TEXT -- the verdict as JSON, kept once the last watch window ended
      );
      CREATE TABLE canary_rounds (
        session_id TEXT NOT NULL REFERENCES canary_sessions (id) ON DELETE CASCADE,
        n INTEGER NOT NULL,
        mode TEXT NOT NULL,
        opened INTEGER NOT NULL,
        closed INTEGER,
        host_token TEXT NOT NULL UNIQUE,
        path_token TEXT NOT NULL,
        phrase TEXT NOT NULL,
        visited INTEGER, -- when the canary page was first opened
        visited_by TEXT, -- by which device
        blind_start TEXT, -- JSON: per device, QUIC and DNS-over-TLS counts when the round opened
        PRIMARY KEY (session_id, n)
      );
    `,
  },
];
