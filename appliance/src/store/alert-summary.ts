import type { Database as Db } from 'better-sqlite3';

/** One receiver of a device's browsing: a company (or network) in a country. */
export interface Receiver {
  /** The domain's owner when known, else the network's organisation, else the registrable domain or host. */
  company: string;
  /** Where the receiving server's address is registered; null when unknown. */
  country: string | null;
  chinaLinked: boolean;
  alerts: number;
  /** Epoch ms of the newest alert to it. */
  last: number;
}

/** What one device's alerts add up to: the verdict line at the top of the alerts view. */
export interface DeviceVerdict {
  device: string;
  /** The admin's name for it, else its DHCP name. */
  name: string | null;
  alerts: number;
  unread: number;
  /** Epoch ms of its newest alert. */
  last: number;
  /** Most alerts first. */
  receivers: Receiver[];
}

interface ReceiverRow {
  device: string;
  company: string;
  country: string | null;
  chinaLinked: number;
  alerts: number;
  unread: number;
  last: number;
  name: string | null;
}

/**
 * Per device, who received its browsing: the alerts grouped by receiving company and country.
 * Read-only; the inspection thread writes the alerts.
 */
export function deviceVerdicts(db: Db): DeviceVerdict[] {
  const rows = db.prepare(`SELECT a.device,
        COALESCE(json_extract(a.json, '$.destination.owner'), json_extract(a.json, '$.destination.org'),
          json_extract(a.json, '$.destination.registrableDomain'), a.host) AS company,
        json_extract(a.json, '$.destination.country') AS country,
        MAX(a.china_linked) AS chinaLinked, COUNT(*) AS alerts, SUM(a.acknowledged = 0) AS unread, MAX(a.time) AS last,
        COALESCE(d.name, d.hostname) AS name
      FROM alerts a LEFT JOIN devices d ON d.id = a.device
      GROUP BY a.device, company, country
      ORDER BY a.device, alerts DESC, company`).all() as ReceiverRow[];
  const byDevice = new Map<string, DeviceVerdict>();
  for (const row of rows) {
    let verdict = byDevice.get(row.device);
    if (!verdict) {
      verdict = { device: row.device, name: row.name, alerts: 0, unread: 0, last: 0, receivers: [] };
      byDevice.set(row.device, verdict);
    }
    verdict.alerts += row.alerts;
    verdict.unread += row.unread;
    verdict.last = Math.max(verdict.last, row.last);
    verdict.receivers.push({ company: row.company, country: row.country, chinaLinked: row.chinaLinked === 1, alerts: row.alerts, last: row.last });
  }
  return [...byDevice.values()].sort((a, b) => b.last - a.last);
}
