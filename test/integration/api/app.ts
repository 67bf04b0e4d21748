import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database as Db } from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { AdminAuth } from '../../../appliance/src/api/auth.js';
import { buildApi } from '../../../appliance/src/api/build.js';
import type { ApiDeps } from '../../../appliance/src/api/build.js';
import { DEFAULT_CONFIG } from '../../../appliance/src/config/config.js';
import type { Config } from '../../../appliance/src/config/config.js';
import { RuntimeSettings } from '../../../appliance/src/config/runtime-settings.js';
import type { Alert } from '../../../appliance/src/model/index.js';
import { loadOrCreateCa } from '../../../appliance/src/sources/proxy/ca.js';
import { AlertStore, openDatabase } from '../../../appliance/src/store/index.js';
import { alertWritesOn } from '../../support/alert-writes.js';

export const PASSWORD = 'correct horse battery staple';

export interface TestApi {
  app: FastifyInstance;
  db: Db;
  store: AlertStore;
  settings: RuntimeSettings;
  dir: string;
  /** The admin session's Cookie header. */
  cookie: string;
  live: EventEmitter<{ alert: [Alert] }>;
  /** Closes the API and the database and deletes the temporary folder. */
  close(): Promise<void>;
}

type Extra = Partial<Pick<ApiDeps, 'alertWrites'>> & Pick<ApiDeps, 'pcap' | 'canaryHooks' | 'activity' | 'selfTest' | 'history' | 'mqtt' | 'attribute' | 'webTrackers' | 'uiRoot' | 'downtime' | 'passthroughs' | 'pipeline' | 'captureCounters'> & Partial<Pick<ApiDeps, 'health'>>;

/** The API on a fresh SQLite file in a temporary folder, logged in as admin. */
export async function testApi(options: { config?: Config } & Extra = {}): Promise<TestApi> {
  const dir = mkdtempSync(join(tmpdir(), 'lw-api-'));
  const db = openDatabase(join(dir, 'leakwatch.db'));
  const store = new AlertStore(db);
  const { auth } = AdminAuth.init(db, PASSWORD);
  const settings = new RuntimeSettings(db, options.config ?? DEFAULT_CONFIG);
  const live = new EventEmitter<{ alert: [Alert] }>();
  const { config: _config, ...extra } = options;
  const app = await buildApi({
    db, store, alertWrites: alertWritesOn(db), auth, ca: await loadOrCreateCa(dir), live, settings, uiRoot: null,
    health: () => Promise.reject(new Error('not used here')), ...extra,
  });
  const login = await app.inject({ method: 'POST', url: '/api/login', payload: { password: PASSWORD } });
  const close = async () => {
    await app.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { app, db, store, settings, dir, cookie: String(login.headers['set-cookie']).split(';')[0]!, live, close };
}
