import type { Database as Db } from 'better-sqlite3';

/** Names the admin gives devices (a MAC address says little), shown in the API and exports. */
export class DeviceNames {
  constructor(private readonly db: Db) {}

  get(device: string): string | undefined {
    const row = this.db.prepare('SELECT name FROM devices WHERE id = ?').get(device) as { name: string | null } | undefined;
    return row?.name ?? undefined;
  }

  /** Sets or (null) clears the name; false when the device was never seen. */
  set(device: string, name: string | null): boolean {
    return this.db.prepare('UPDATE devices SET name = ? WHERE id = ?').run(name, device).changes > 0;
  }
}
