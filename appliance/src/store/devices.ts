import type { Database as Db } from 'better-sqlite3';
import type { DeviceIdentity } from '../model/index.js';

export interface DeviceRow {
  id: string;
  /** The name the admin gave it. */
  name: string | null;
  mac: string | null;
  ip: string | null;
  hostname: string | null;
  vendor: string | null;
  vendorCountry: string | null;
  /** null: not known (no MAC seen). */
  randomisedMac: boolean | null;
  firstSeen: number;
  lastSeen: number;
  /** Alerts raised on its traffic, and how many of them the admin has not acknowledged. */
  alerts: number;
  unread: number;
}

/** The devices table: identity facts from the hotspot, and the names the admin gives devices. */
export class DeviceStore {
  private readonly upsert;

  constructor(private readonly db: Db) {
    // A DHCP name or vendor once known is kept when a later answer lacks it (the lease expired).
    this.upsert = db.prepare(`INSERT INTO devices (id, first_seen, last_seen, mac, ip, hostname, vendor, vendor_country, randomised_mac)
      VALUES (@id, @now, @now, @mac, @ip, @hostname, @vendor, @vendorCountry, @randomisedMac)
      ON CONFLICT (id) DO UPDATE SET last_seen = MAX(last_seen, excluded.last_seen), ip = excluded.ip,
        mac = COALESCE(excluded.mac, mac), hostname = COALESCE(excluded.hostname, hostname),
        vendor = COALESCE(excluded.vendor, vendor), vendor_country = COALESCE(excluded.vendor_country, vendor_country),
        randomised_mac = COALESCE(excluded.randomised_mac, randomised_mac)`);
  }

  record(facts: DeviceIdentity, now: number): void {
    this.upsert.run({
      id: facts.id, now, mac: facts.mac ?? null, ip: facts.ip, hostname: facts.hostname ?? null, vendor: facts.vendor ?? null,
      vendorCountry: facts.vendorCountry ?? null, randomisedMac: facts.randomisedMac === undefined ? null : facts.randomisedMac ? 1 : 0,
    });
  }

  list(): DeviceRow[] {
    const rows = this.db.prepare(`SELECT id, name, mac, ip, hostname, vendor, vendor_country AS vendorCountry, randomised_mac AS randomisedMac,
      first_seen AS firstSeen, last_seen AS lastSeen,
      (SELECT COUNT(*) FROM alerts a WHERE a.device = devices.id) AS alerts,
      (SELECT COUNT(*) FROM alerts a WHERE a.device = devices.id AND a.acknowledged = 0) AS unread
      FROM devices ORDER BY last_seen DESC`).all() as (Omit<DeviceRow, 'randomisedMac'> & { randomisedMac: number | null })[];
    return rows.map((r) => ({ ...r, randomisedMac: r.randomisedMac === null ? null : r.randomisedMac === 1 }));
  }

  /** The admin's name, else the DHCP name. */
  displayName(device: string): string | undefined {
    const row = this.db.prepare('SELECT name, hostname FROM devices WHERE id = ?').get(device) as { name: string | null; hostname: string | null } | undefined;
    return row?.name ?? row?.hostname ?? undefined;
  }

  /** Sets or (null) clears the admin's name; false when the device was never seen. */
  rename(device: string, name: string | null): boolean {
    return this.db.prepare('UPDATE devices SET name = ? WHERE id = ?').run(name, device).changes > 0;
  }
}
