/**
 * The embedded broker (mqtt.embedded.enabled): leakwatch's alerts reach a phone's MQTT app that
 * subscribes over TCP with no other broker around; clients must log in, and only leakwatch publishes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedBroker } from '../../../appliance/src/notify/embedded-broker.js';
import { LeakwatchProcess } from '../../support/leakwatch-process.js';
import { LOOPBACK_IS_ALIBABA, TestSite, browse, reportPage } from '../../support/leaking-phone.js';
import { freePort } from '../../support/ports.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-embedded-'));
const clients: MqttClient[] = [];
afterAll(async () => {
  for (const c of clients) await c.endAsync(true);
});

/** Connects once (no retries) and says how the broker answered: 'connected' or the refusal. */
async function login(port: number, options: IClientOptions): Promise<{ client: MqttClient; outcome: string }> {
  const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, connectTimeout: 5000, ...options });
  clients.push(client);
  const outcome = await new Promise<string>((resolve) => {
    client.once('connect', () => resolve('connected'));
    client.once('error', (error) => resolve(error.message));
  });
  return { client, outcome };
}

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  for (let waited = 0; waited < ms; waited += 25) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('leakwatch start with the embedded broker', () => {
  it('publishes alerts to a subscriber that logs in with the admin password; refuses bad logins, the appliance\'s client id, and publishes from clients', async () => {
    const site = await TestSite.start();
    const [proxyPort, apiPort, mqttPort] = [await freePort(), await freePort(), await freePort()];
    const intel = join(dir, 'intel.json');
    writeFileSync(intel, JSON.stringify(LOOPBACK_IS_ALIBABA));
    const config = join(dir, 'leakwatch.json');
    writeFileSync(config, JSON.stringify({
      dataDir: join(dir, 'data'), proxy: { port: proxyPort }, api: { port: apiPort, httpsPort: await freePort(), password: 'admin-secret' }, intel: { overlayFiles: [intel] },
      mqtt: { applianceId: 'pi', embedded: { enabled: true, port: mqttPort } },
    }));
    const leakwatch = await LeakwatchProcess.start(['--config', config]);
    try {
      expect(leakwatch.stderr).toContain(`embedded MQTT broker on 127.0.0.1:${mqttPort}: subscribe to leakwatch/pi/alert with any user name and the admin password`);

      expect((await login(mqttPort, {})).outcome).toMatch(/Bad username or password/);
      expect((await login(mqttPort, { username: 'phone', password: 'guess' })).outcome).toMatch(/Bad username or password/);
      expect((await login(mqttPort, { clientId: 'leakwatch-pi', username: 'phone', password: 'admin-secret' })).outcome).toMatch(/Identifier rejected/);

      const { client: phone, outcome } = await login(mqttPort, { clientId: 'phone-app', username: 'phone', password: 'admin-secret' });
      expect(outcome).toBe('connected');
      const seen: { topic: string; payload: string }[] = [];
      phone.on('message', (topic, payload) => seen.push({ topic, payload: String(payload) }));
      await phone.subscribeAsync(['leakwatch/pi/#'], { qos: 1 });
      await until(() => seen.some((m) => m.topic === 'leakwatch/pi/status' && m.payload === 'online'), 'the retained online status');

      // A client that tries to publish (a forged alert) is cut off; subscribers never see it.
      const { client: forger } = await login(mqttPort, { clientId: 'forger', username: 'x', password: 'admin-secret' });
      const cutOff = new Promise<void>((resolve) => forger.once('close', () => resolve()));
      forger.publish('leakwatch/pi/alert', '{"forged":true}', { qos: 1 });
      await cutOff;

      await browse(proxyPort, site.page(1));
      await reportPage(proxyPort, site.telemetryUrl, site.page(1));
      await until(() => seen.some((m) => m.topic === 'leakwatch/pi/alert'), 'the alert');
      const alerts = seen.filter((m) => m.topic === 'leakwatch/pi/alert').map((m) => JSON.parse(m.payload) as { data?: { value: string }; forged?: boolean });
      expect(alerts.map((a) => a.data?.value)).toEqual([site.page(1)]);
      expect(alerts.some((a) => a.forged)).toBe(false);
    } finally {
      expect(await leakwatch.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      site.close();
    }
  }, 60_000);
});

describe('EmbeddedBroker with mqtt.username and mqtt.password', () => {
  it('lets in that user with that password only', async () => {
    const broker = await EmbeddedBroker.start({ host: '127.0.0.1', port: await freePort(), applianceClientId: 'leakwatch-x', login: { username: 'ha', password: 'p4ss' } });
    const port = broker.address().port;
    try {
      expect((await login(port, { username: 'ha', password: 'p4ss' })).outcome).toBe('connected');
      expect((await login(port, { username: 'ha', password: 'p4sS' })).outcome).toMatch(/Bad username or password/);
      expect((await login(port, { username: 'other', password: 'p4ss' })).outcome).toMatch(/Bad username or password/);
    } finally {
      for (const c of clients.splice(0)) await c.endAsync(true);
      await broker.close();
    }
  });

  it('refuses even the right password for a minute after 5 failed logins from one address', async () => {
    const broker = await EmbeddedBroker.start({ host: '127.0.0.1', port: await freePort(), applianceClientId: 'leakwatch-x', login: { username: 'ha', password: 'p4ss' } });
    const port = broker.address().port;
    try {
      for (let i = 0; i < 5; i++) expect((await login(port, { username: 'ha', password: `guess-${i}` })).outcome).toMatch(/Bad username or password/);
      expect((await login(port, { username: 'ha', password: 'p4ss' })).outcome).toMatch(/Not authorized/);
    } finally {
      for (const c of clients.splice(0)) await c.endAsync(true);
      await broker.close();
    }
  });
});
