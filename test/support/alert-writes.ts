import type { Database as Db } from 'better-sqlite3';
import type { AlertWrites } from '../../appliance/src/api/routes/alerts.js';
import { StoreWrites } from '../../appliance/src/inspect/store-writes.js';

/**
 * The admin's acknowledgements made by the inspection thread's own write code, on the test's
 * thread: the API tests run no inspection thread (its tests drive the real one).
 */
export function alertWritesOn(db: Db): AlertWrites {
  const writes = new StoreWrites(db);
  return {
    acknowledge: async (alert) => writes.apply({ kind: 'acknowledge', alert }) === 1,
    acknowledgeAll: async (query) => Number(writes.apply({ kind: 'acknowledge-all', query })),
  };
}
