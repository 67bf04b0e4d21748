/**
 * Stopping the service (systemctl stop = SIGTERM) while a phone is mid-request: nothing already
 * seen may be lost — every request in flight is answered, every flow and alert is committed and
 * delivered — and a restart on the same data keeps storing new flows next to the old ones.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertStore, Outbox, openDatabase } from '../../../appliance/src/store/index.js';
import { LeakwatchProcess } from '../../support/leakwatch-process.js';
import { LOOPBACK_IS_ALIBABA, TestSite, browse, reportPage } from '../../support/leaking-phone.js';
import { freePort } from '../../support/ports.js';
import { Mosquitto } from '../notify/mosquitto.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-drain-'));
let broker: Mosquitto;
let site: TestSite;

beforeAll(async () => {
  broker = await Mosquitto.create(join(dir, 'broker'));
  await broker.start();
  site = await TestSite.start();
});
afterAll(async () => {
  site?.close();
  await broker?.stop();
});

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  for (let waited = 0; waited < ms; waited += 25) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('SIGTERM during traffic', () => {
  it('answers the requests in flight, refuses new ones, commits and delivers every flow and alert, exits 0; a restart keeps storing', async () => {
    const [proxyPort, apiPort] = [await freePort(), await freePort()];
    const intel = join(dir, 'intel.json');
    writeFileSync(intel, JSON.stringify(LOOPBACK_IS_ALIBABA));
    const config = join(dir, 'leakwatch.json');
    writeFileSync(config, JSON.stringify({ dataDir: join(dir, 'data'), proxy: { port: proxyPort }, api: { port: apiPort, httpsPort: await freePort(), password: 'test-password' }, intel: { overlayFiles: [intel] }, mqtt: { url: broker.url, applianceId: 'drain' } }));
    const subscriber = await mqtt.connectAsync(broker.url);
    const delivered: string[] = [];
    subscriber.on('message', (_t, p) => delivered.push((JSON.parse(String(p)) as { data: { value: string } }).data.value));
    await subscriber.subscribeAsync('leakwatch/drain/alert', { qos: 1 });

    const inFlight = 12;
    const first = await LeakwatchProcess.start(['--config', config]);
    for (let i = 0; i < inFlight; i++) expect((await browse(proxyPort, site.page(i))).status).toBe(200);
    site.holding = true;
    const reports = Array.from({ length: inFlight }, (_, i) => reportPage(proxyPort, site.telemetryUrl, site.page(i)));
    await until(() => site.held.length === inFlight, 'the telemetry requests to reach the site');

    const exit = first.stop('SIGTERM');
    await until(async () => !(await accepts(proxyPort)), 'the proxy to stop accepting');
    site.holding = false;
    site.release();
    const answers = await Promise.all(reports);
    expect(answers.map((a) => `${a.status} ${a.body}`)).toEqual(Array(inFlight).fill('200 {"code":0}'));
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(first.stderr).not.toMatch(/stopping .* failed/);

    const pages = Array.from({ length: inFlight }, (_, i) => site.page(i));
    const db = openDatabase(join(dir, 'data', 'leakwatch.db'));
    expect(db.prepare('SELECT count(*) AS n FROM flows').get()).toEqual({ n: 2 * inFlight });
    expect(new AlertStore(db).list().map((a) => a.data.value).sort()).toEqual([...pages].sort());
    expect(new Outbox(db).pending()).toEqual([]);
    db.close();
    await until(() => delivered.length >= inFlight, 'the alerts on MQTT');
    expect([...delivered].sort()).toEqual([...pages].sort());

    // The same data directory after a restart: new flows are stored beside the old ones, not taken for repeats.
    const second = await LeakwatchProcess.start(['--config', config]);
    await browse(proxyPort, site.page(100));
    await reportPage(proxyPort, site.telemetryUrl, site.page(100));
    await until(() => delivered.includes(site.page(100)), 'the alert after the restart');
    expect(await second.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    const reopened = openDatabase(join(dir, 'data', 'leakwatch.db'));
    expect(reopened.prepare('SELECT count(*) AS n FROM flows').get()).toEqual({ n: 2 * inFlight + 2 });
    expect(new AlertStore(reopened).list()).toHaveLength(inFlight + 1);
    reopened.close();
    await subscriber.endAsync();
  }, 60_000);

  it('ends the live-alert streams open pages hold instead of waiting for them, and exits 0', async () => {
    const [proxyPort, apiPort] = [await freePort(), await freePort()];
    const config = join(dir, 'sse.json');
    writeFileSync(config, JSON.stringify({ dataDir: join(dir, 'sse-data'), proxy: { port: proxyPort }, api: { port: apiPort, httpsPort: await freePort(), password: 'test-password' } }));
    const leakwatch = await LeakwatchProcess.start(['--config', config]);
    const login = await fetch(`http://127.0.0.1:${apiPort}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: 'test-password' }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const stream = await new Promise<IncomingMessage>((resolve, reject) => request({ host: '127.0.0.1', port: apiPort, path: '/api/events', headers: { cookie } }, resolve).on('error', reject).end());
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    stream.resume();
    const streamEnded = new Promise<void>((resolve) => stream.once('close', () => resolve()));

    const stoppedAt = Date.now();
    expect(await leakwatch.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(Date.now() - stoppedAt).toBeLessThan(15_000);
    await streamEnded;
  }, 30_000);
});
