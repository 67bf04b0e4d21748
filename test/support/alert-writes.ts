import type { Database as Db } from 'better-sqlite3';
import type { AlertWrites } from '../../appliance/src/api/routes/alerts.js';
import { StoreWrites, alertWritesVia } from '../../appliance/src/inspect/store-writes.js';

/**
 * The admin's acknowledgements made by the inspection thread's own write code, on the test's
 * thread: the API tests run no inspection thread (its tests drive the real one).
 */
export function alertWritesOn(db: Db): AlertWrites {
  const writes = new StoreWrites(db);
  return alertWritesVia(async (w) => writes.apply(w));
}
