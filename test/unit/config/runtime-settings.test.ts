import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../appliance/src/config/config.js';
import type { Config } from '../../../appliance/src/config/config.js';
import { REDACTED, RuntimeSettingError, RuntimeSettings, redactSecrets } from '../../../appliance/src/config/runtime-settings.js';
import { openDatabase } from '../../../appliance/src/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-settings-'));
let n = 0;
const configured: Config = { ...structuredClone(DEFAULT_CONFIG), retention: { maxAgeDays: 30, maxBytes: 512 * 1024 * 1024 } };

describe('RuntimeSettings', () => {
  it('puts the admin\'s overrides over the configured values, keeps them across a restart, and drops them with null', () => {
    const path = join(dir, `db${n++}`, 'leakwatch.db');
    const settings = new RuntimeSettings(openDatabase(path), configured);
    expect(settings.retention()).toEqual({ maxAgeDays: 30, maxBytes: 512 * 1024 * 1024 });
    settings.update({ 'retention.maxAgeDays': 7 });
    expect(settings.retention()).toEqual({ maxAgeDays: 7, maxBytes: 512 * 1024 * 1024 });
    const reopened = new RuntimeSettings(openDatabase(path), configured);
    expect(reopened.overrides()).toEqual({ 'retention.maxAgeDays': 7 });
    reopened.update({ 'retention.maxAgeDays': null, 'retention.maxBytes': 64 * 1024 * 1024 });
    expect(reopened.retention()).toEqual({ maxAgeDays: 30, maxBytes: 64 * 1024 * 1024 });
    expect(configured.retention.maxAgeDays).toBe(30);
  });

  it.each([
    [{ 'proxy.port': 3128 }, 'proxy.port cannot be changed while leakwatch runs; set it in the config file or environment and restart'],
    [{ 'retention.maxAgeDays': 0 }, 'retention.maxAgeDays must be a whole number ≥ 1'],
    [{ 'retention.maxBytes': 1024 }, 'retention.maxBytes must be a whole number ≥ 16777216'],
    [{ 'retention.maxAgeDays': 2.5 }, 'retention.maxAgeDays must be a whole number ≥ 1'],
  ])('refuses %j, changing nothing', (change, message) => {
    const settings = new RuntimeSettings(openDatabase(join(dir, `db${n++}`, 'leakwatch.db')), configured);
    expect(() => settings.update({ 'retention.maxAgeDays': 5, ...change } as never)).toThrow(new RuntimeSettingError(message));
    expect(settings.overrides()).toEqual({});
  });

  it('leaves the admin password hash and unknown keys in the settings table alone', () => {
    const db = openDatabase(join(dir, `db${n++}`, 'leakwatch.db'));
    db.prepare("INSERT INTO settings (key, value) VALUES ('admin_password', '{}'), ('runtime:some.future.setting', '1')").run();
    const settings = new RuntimeSettings(db, configured);
    expect(settings.overrides()).toEqual({});
    settings.update({ 'retention.maxAgeDays': 3 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM settings').get()).toEqual({ n: 3 });
  });
});

describe('redactSecrets', () => {
  it('hides set passwords, also inside the MQTT URL, and shows which are unset', () => {
    const config: Config = { ...structuredClone(DEFAULT_CONFIG), api: { ...DEFAULT_CONFIG.api, password: 'hunter2' } };
    config.mqtt = { ...config.mqtt, url: 'mqtts://ha:s3cret@broker.lan:8883', password: 'pw' };
    const shown = redactSecrets(config);
    expect(shown.api.password).toBe(REDACTED);
    expect(shown.mqtt.password).toBe(REDACTED);
    expect(shown.mqtt.url).toBe(`mqtts://ha:${REDACTED}@broker.lan:8883`);
    expect(JSON.stringify(shown)).not.toMatch(/hunter2|s3cret|"pw"/);
    expect(redactSecrets(DEFAULT_CONFIG)).toEqual(DEFAULT_CONFIG);
    expect(config.api.password).toBe('hunter2');
  });
});
