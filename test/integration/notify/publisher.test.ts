import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canaryVerdictMessage } from '../../../appliance/src/notify/canary-verdict.js';
import { StoreWrites } from '../../../appliance/src/inspect/store-writes.js';
import { OutboxPublisher } from '../../../appliance/src/notify/publisher.js';
import { MAX_HELD_MESSAGES, WorkerOutbox } from '../../../appliance/src/notify/worker-outbox.js';
import { AlertStore, Outbox, openDatabase } from '../../../appliance/src/store/index.js';
import { alert, flowFor } from '../store/samples.js';
import { Mosquitto } from './mosquitto.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-mqtt-'));
let broker: Mosquitto;
let subscriber: MqttClient;
const received = new Map<string, string>();
/** How many times each alert id arrived: QoS 1 allows a repeat only around a reconnect. */
const arrivals = new Map<string, number>();
const topics = new Map<string, string>();

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  for (let waited = 0; waited < ms; waited += 50) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out; received ${received.size}`);
}

beforeAll(async () => {
  broker = await Mosquitto.create(join(dir, 'broker'));
  await broker.start();
  subscriber = mqtt.connect(broker.url, { clientId: 'test-subscriber', clean: false, reconnectPeriod: 200 });
  subscriber.on('message', (t, payload) => {
    topics.set(t, String(payload));
    if (!t.endsWith('/alert')) return;
    const { id } = JSON.parse(String(payload)) as { id: string };
    received.set(id, t);
    arrivals.set(id, (arrivals.get(id) ?? 0) + 1);
  });
  await new Promise<void>((r) => subscriber.on('connect', () => r()));
  await subscriber.subscribeAsync(['leakwatch/+/alert', 'leakwatch/+/status', 'leakwatch/+/health', 'leakwatch/+/canary', 'homeassistant/#'], { qos: 1 });
});

afterAll(async () => {
  await subscriber?.endAsync(true);
  await broker?.stop();
});

describe('MQTT delivery from the outbox, against a real Mosquitto', () => {
  it("publishes a canary session's final verdict on <prefix>/<id>/canary", async () => {
    const db = openDatabase(join(dir, 'canary.db'));
    const publisher = new OutboxPublisher(new Outbox(db), { url: broker.url, prefix: 'leakwatch', applianceId: 'pi-canary' });
    publisher.start();
    const verdict = { session: 'cs-1', app: 'Mint Browser 3.4', device: null, created: 1, watching: false, summary: 'Incognito leaked the same as normal: to Xiaomi, china-linked.', rounds: [] };
    new StoreWrites(db).apply(canaryVerdictMessage('leakwatch', 'pi-canary', verdict, Date.now()));
    publisher.drain();
    await until(() => topics.has('leakwatch/pi-canary/canary'));
    expect(JSON.parse(topics.get('leakwatch/pi-canary/canary')!)).toEqual(verdict);
    await until(() => new Outbox(db).size() === 0);
    await publisher.stop(1000);
    db.close();
  });

  it('delivers every alert at QoS 1, keeps them across a broker restart mid-burst, and says it is online', async () => {
    const db = openDatabase(join(dir, 'a.db'));
    const store = new AlertStore(db);
    const outbox = new Outbox(db);
    const publisher = new OutboxPublisher(outbox, { url: broker.url, prefix: 'leakwatch', applianceId: 'pi1' });
    publisher.start();
    const record = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const a = alert(`m${i}`, i);
        store.record(flowFor(a), [a], 'leakwatch/pi1/alert');
        publisher.drain();
      }
    };
    record(0, 50);
    await until(() => received.size === 50);
    await broker.stop();
    record(50, 150);
    await broker.start();
    await until(() => received.size === 150);
    expect([...received.keys()].sort()).toEqual(Array.from({ length: 150 }, (_, i) => `m${i}`).sort());
    await until(() => outbox.pending().length === 0);
    // After the restart the status settles on online. A persisted session may still hand the
    // subscriber an older status message after the alerts (CI saw 'offline' here once), so this
    // waits for the state rather than reading it at one instant.
    await until(() => topics.get('leakwatch/pi1/status') === 'online');
    expect(JSON.parse(topics.get('homeassistant/event/leakwatch_pi1/alert/config') ?? '{}')).toMatchObject({ state_topic: 'leakwatch/pi1/alert', event_types: ['critical', 'high', 'medium', 'low'] });
    expect(JSON.parse(topics.get('homeassistant/binary_sensor/leakwatch_pi1/online/config') ?? '{}')).toMatchObject({ state_topic: 'leakwatch/pi1/status', payload_on: 'online' });
    publisher.publishHealth({ time: 't', uptimeSeconds: 5, cpu: { loadPercent: 12.5, temperatureC: 48 }, throttled: null, memory: { totalBytes: 1, availableBytes: 1 }, disk: null, interfaces: [] });
    await until(() => topics.has('leakwatch/pi1/health'));
    expect(JSON.parse(topics.get('leakwatch/pi1/health')!)).toMatchObject({ cpu: { loadPercent: 12.5, temperatureC: 48 } });
    expect(JSON.parse(topics.get('homeassistant/sensor/leakwatch_pi1/cpu_temperature/config') ?? '{}')).toMatchObject({ state_topic: 'leakwatch/pi1/health', device_class: 'temperature' });
    await publisher.stop();
    await until(() => topics.get('leakwatch/pi1/status') === 'offline');
  });

  it(`sends what the inspection thread announces from memory, bursts beyond ${MAX_HELD_MESSAGES} and a broker outage read back from the outbox, none lost`, async () => {
    const db = openDatabase(join(dir, 'worker.db'));
    const store = new AlertStore(db);
    const writes = new StoreWrites(db);
    const problems: string[] = [];
    // Removals answered a turn later, as the inspection thread answers them.
    const outbox = new WorkerOutbox(new Outbox(db), (seqs) => new Promise((resolve) => setImmediate(() => resolve(writes.apply({ kind: 'delivered', seqs })))), (m) => problems.push(m));
    const publisher = new OutboxPublisher(outbox, { url: broker.url, prefix: 'leakwatch', applianceId: 'pi3' });
    publisher.start();
    const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `w${from + i}`);
    const record = (from: number, to: number) => {
      for (let i = from; i < to; i += 50) {
        const batch = ids(i, Math.min(to, i + 50)).map((id, k) => alert(id, i + k));
        outbox.queued(store.recordQueued(batch.map((a) => ({ flow: flowFor(a), alerts: [a] })), 'leakwatch/pi3/alert').queued);
        publisher.drain();
      }
    };
    const arrived = (list: string[]) => list.every((id) => received.has(id));
    await until(() => publisher.state().connected);
    record(0, MAX_HELD_MESSAGES * 2 + 100);
    await until(() => arrived(ids(0, MAX_HELD_MESSAGES * 2 + 100)));
    await until(() => new Outbox(db).size() === 0);
    expect(ids(0, MAX_HELD_MESSAGES * 2 + 100).filter((id) => arrivals.get(id) !== 1)).toEqual([]);
    await broker.stop();
    record(MAX_HELD_MESSAGES * 2 + 100, MAX_HELD_MESSAGES * 3 + 300);
    expect(publisher.state().waiting).toBe(MAX_HELD_MESSAGES + 200);
    await broker.start();
    await until(() => arrived(ids(0, MAX_HELD_MESSAGES * 3 + 300)));
    await until(() => new Outbox(db).size() === 0 && publisher.state().waiting === 0);
    expect(problems).toEqual([]);
    await publisher.stop();
    db.close();
  });

  it('delivers what was stored before leakwatch restarted (the outbox is on disk)', async () => {
    const path = join(dir, 'b.db');
    const store = new AlertStore(openDatabase(path));
    for (let i = 0; i < 20; i++) store.record(flowFor(alert(`r${i}`, i)), [alert(`r${i}`, i)], 'leakwatch/pi2/alert');
    const publisher = new OutboxPublisher(new Outbox(openDatabase(path)), { url: broker.url, prefix: 'leakwatch', applianceId: 'pi2' });
    publisher.start();
    await until(() => Array.from({ length: 20 }, (_, i) => `r${i}`).every((id) => received.has(id)));
    await publisher.stop();
  });

  it('leaves a retained "offline" through its last will when it dies without saying goodbye', async () => {
    const publisher = new OutboxPublisher(new Outbox(openDatabase(join(dir, 'c.db'))), { url: broker.url, prefix: 'leakwatch', applianceId: 'pi3' });
    publisher.start();
    await until(() => topics.get('leakwatch/pi3/status') === 'online');
    (publisher as unknown as { client: MqttClient }).client.stream.destroy();
    await until(() => topics.get('leakwatch/pi3/status') === 'offline');
    (publisher as unknown as { client: MqttClient }).client.end(true);
  });
});
