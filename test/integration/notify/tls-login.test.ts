/**
 * MQTT over TLS with a user and password, against a real Mosquitto whose certificate a throw-away
 * CA signed: delivery with mqtt.caFile, username and password as configured; and the two usual
 * mistakes — a wrong password, a CA that did not sign the broker — said in words, once, while
 * leakwatch keeps retrying (and delivers once the broker's users are fixed).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminAuth } from '../../../appliance/src/api/auth.js';
import { loadConfig } from '../../../appliance/src/config/config.js';
import { startDelivery } from '../../../appliance/src/notify/delivery.js';
import { OutboxPublisher } from '../../../appliance/src/notify/publisher.js';
import { AlertStore, Outbox, openDatabase } from '../../../appliance/src/store/index.js';
import { makeServerCertificate } from '../../support/tls-certificates.js';
import { alert, flowFor } from '../store/samples.js';
import { Mosquitto } from './mosquitto.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-mqtts-'));
const trusted = makeServerCertificate(dir, 'broker');
const stranger = makeServerCertificate(dir, 'stranger');
let broker: Mosquitto;
let reader: MqttClient;
const received: string[] = [];

beforeAll(async () => {
  broker = await Mosquitto.create(join(dir, 'broker'), { tls: trusted, users: { leakwatch: 'right-password', reader: 'reader-password' } });
  await broker.start();
  reader = await mqtt.connectAsync(broker.url, { ca: readFileSync(trusted.caFile), username: 'reader', password: 'reader-password' });
  reader.on('message', (_t, payload) => received.push((JSON.parse(String(payload)) as { id: string }).id));
  await reader.subscribeAsync('leakwatch/+/alert', { qos: 1 });
});
afterAll(async () => {
  await reader?.endAsync(true);
  await broker?.stop();
});

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  for (let waited = 0; waited < ms; waited += 25) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A database holding one stored, not yet delivered alert for `applianceId`. */
function storedAlert(applianceId: string, id: string) {
  const db = openDatabase(join(dir, `${applianceId}.db`));
  const a = alert(id, 1);
  new AlertStore(db).record(flowFor(a), [a], `leakwatch/${applianceId}/alert`);
  return db;
}

describe('MQTT over TLS with a user and password (real Mosquitto)', () => {
  it('delivers over mqtts:// with mqtt.caFile, mqtt.username and mqtt.password from the config', async () => {
    const db = storedAlert('tls', 'tls-1');
    const configFile = join(dir, 'leakwatch.json');
    writeFileSync(configFile, JSON.stringify({ mqtt: { url: broker.url, applianceId: 'tls', username: 'leakwatch', password: 'right-password', caFile: trusted.caFile } }));
    const problems: string[] = [];
    const delivery = await startDelivery(await loadConfig(configFile, {}), new Outbox(db), AdminAuth.init(db, 'admin').auth, (m) => problems.push(m));
    await until(() => received.includes('tls-1'), 'the alert over TLS');
    await until(() => new Outbox(db).pending().length === 0, 'the outbox to empty');
    await delivery.stop(1000);
    expect(problems).toEqual([]);
  });

  it('says once that the broker refused the login, keeps retrying, and delivers once the broker accepts the password', async () => {
    const db = storedAlert('late', 'late-1');
    const publisher = new OutboxPublisher(new Outbox(db), { url: broker.url, prefix: 'leakwatch', applianceId: 'late', ca: readFileSync(trusted.caFile, 'utf8'), username: 'late', password: 'its-password' });
    const problems: string[] = [];
    publisher.on('problem', (m) => problems.push(m));
    publisher.start();
    await until(() => problems.length > 0, 'a problem');
    await new Promise((r) => setTimeout(r, 2500)); // two or three retries, each refused
    expect(problems).toEqual([`MQTT broker ${broker.url} refused leakwatch's login (Connection refused: Not authorized): check mqtt.username and mqtt.password against the broker's users (retrying every 1 s)`]);
    expect(received).not.toContain('late-1');

    broker.setPassword('late', 'its-password'); // the broker's admin adds the user; mosquitto reloads on SIGHUP
    await until(() => received.includes('late-1'), 'the alert after the fix');
    await publisher.stop(1000);
  });

  it('says the broker\'s certificate is not trusted when mqtt.caFile holds another CA, and does not crash', async () => {
    const db = storedAlert('stranger', 'stranger-1');
    const publisher = new OutboxPublisher(new Outbox(db), { url: broker.url, prefix: 'leakwatch', applianceId: 'stranger', ca: readFileSync(stranger.caFile, 'utf8'), username: 'leakwatch', password: 'right-password' });
    const problems: string[] = [];
    publisher.on('problem', (m) => problems.push(m));
    publisher.start();
    await until(() => problems.length > 0, 'a problem');
    await new Promise((r) => setTimeout(r, 1500));
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^MQTT broker ${broker.url.replace(/[.]/g, '\\.')}: its TLS certificate is not trusted \\(.+\\); set mqtt\\.caFile to the PEM of the CA that signed the broker's certificate \\(retrying every 1 s\\)$`))]);
    expect(received).not.toContain('stranger-1');
    expect(new Outbox(db).pending()).toHaveLength(1); // kept for when the CA is fixed
    await publisher.stop(500);
  });
});
