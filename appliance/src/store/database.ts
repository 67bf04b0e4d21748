import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';
import type { Migration } from './migrations.js';

export class StoreError extends Error {}

/**
 * Opens (creating if needed) the appliance database: WAL, so readers never block the writer and a
 * kill -9 loses no committed transaction; incremental auto-vacuum, so retention can give space
 * back to the SD card; then every pending migration.
 */
export function openDatabase(path: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  let db: Db;
  try {
    if (path !== ':memory:') {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      // Created 0600 before SQLite opens it: the WAL and shared-memory files take the database's
      // mode, and together they hold cookies, tokens and the admin password's hash.
      closeSync(openSync(path, 'a', 0o600));
    }
    db = new Database(path);
  } catch (error) {
    throw new StoreError(`${path}: cannot open the database (${(error as Error).message})`);
  }
  db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a committed transaction survives the process dying; FULL adds an fsync per
  // commit that only power loss would need.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  migrate(db, migrations);
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db, migrations: readonly Migration[]): void {
  const current = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) throw new StoreError(`the database is at schema version ${current}, newer than this leakwatch (${latest}); upgrade leakwatch`);
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
