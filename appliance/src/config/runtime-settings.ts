import type { Database as Db } from 'better-sqlite3';
import type { RetentionPolicy } from '../store/retention.js';
import type { Config } from './config.js';

/**
 * The settings the admin may change while leakwatch runs (PUT /api/settings), with the lowest
 * value accepted: a retention of 0 days or 0 bytes would delete all evidence at the next pass.
 * Both take effect at the next retention pass, without a restart. Everything else is read once
 * at start, from the config file and the environment.
 */
export const RUNTIME_SETTINGS = {
  'retention.maxAgeDays': { minimum: 1 },
  'retention.maxBytes': { minimum: 16 * 1024 * 1024 },
} as const;

export type RuntimeSettingPath = keyof typeof RUNTIME_SETTINGS;

/** A value per setting; `null` drops the override, so the configured value applies again. */
export type RuntimeSettingsChange = Partial<Record<RuntimeSettingPath, number | null>>;

const KEY_PREFIX = 'runtime:';

export class RuntimeSettingError extends Error {}

/**
 * The running configuration: the configured one (defaults, file, environment) with the admin's
 * overrides on top. Overrides live in the `settings` table, so they survive restarts and win over
 * the config file until dropped.
 */
export class RuntimeSettings {
  constructor(
    private readonly db: Db,
    private readonly configured: Config,
  ) {}

  overrides(): Partial<Record<RuntimeSettingPath, number>> {
    const rows = this.db.prepare('SELECT key, value FROM settings WHERE key LIKE ?').all(`${KEY_PREFIX}%`) as { key: string; value: string }[];
    const out: Partial<Record<RuntimeSettingPath, number>> = {};
    for (const { key, value } of rows) {
      const path = key.slice(KEY_PREFIX.length);
      // A key a later or earlier leakwatch wrote and this one does not know is left alone.
      if (path in RUNTIME_SETTINGS) out[path as RuntimeSettingPath] = JSON.parse(value) as number;
    }
    return out;
  }

  effective(): Config {
    const config = structuredClone(this.configured);
    const o = this.overrides();
    if (o['retention.maxAgeDays'] !== undefined) config.retention.maxAgeDays = o['retention.maxAgeDays'];
    if (o['retention.maxBytes'] !== undefined) config.retention.maxBytes = o['retention.maxBytes'];
    return config;
  }

  retention(): RetentionPolicy {
    return this.effective().retention;
  }

  /** Applies every change or none; throws RuntimeSettingError naming the first bad one. */
  update(change: RuntimeSettingsChange): void {
    for (const [path, value] of Object.entries(change)) {
      if (!(path in RUNTIME_SETTINGS)) throw new RuntimeSettingError(`${path} cannot be changed while leakwatch runs; set it in the config file or environment and restart`);
      const { minimum } = RUNTIME_SETTINGS[path as RuntimeSettingPath];
      if (value !== null && (!Number.isInteger(value) || value < minimum)) throw new RuntimeSettingError(`${path} must be a whole number ≥ ${minimum}`);
    }
    const set = this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    const drop = this.db.prepare('DELETE FROM settings WHERE key = ?');
    this.db.transaction(() => {
      for (const [path, value] of Object.entries(change)) {
        if (value === null) drop.run(`${KEY_PREFIX}${path}`);
        else set.run(`${KEY_PREFIX}${path}`, JSON.stringify(value));
      }
    })();
  }
}

/** The value shown in place of a secret that is set; an unset one stays empty, so the admin sees which are set. */
export const REDACTED = '(set, not shown)';

/** The config with passwords hidden, including one inside the MQTT URL (`mqtt://user:pass@host`). */
export function redactSecrets(config: Config): Config {
  const shown = structuredClone(config);
  if (shown.api.password) shown.api.password = REDACTED;
  if (shown.mqtt.password) shown.mqtt.password = REDACTED;
  shown.mqtt.url = shown.mqtt.url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, `$1:${REDACTED}@`);
  return shown;
}
