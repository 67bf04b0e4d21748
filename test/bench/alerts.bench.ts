/**
 * Alert benchmark (part of `npm run bench`): how many alerts per second `leakwatch start` carries
 * from a leaking request to an MQTT subscriber, and the latency from the request leaving the phone
 * (loopback: the proxy sees it at once) to the alert arriving at the subscriber, p50/p99, both
 * saturated and at steady 50 and 4 reports/s. Baselines
 * in the same run: the same requests straight to the site (HTTP alone), and alert-sized QoS 1
 * messages from a plain mqtt.js client through the same Mosquitto (MQTT alone).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { Mosquitto } from '../integration/notify/mosquitto.js';
import { LeakwatchProcess } from '../support/leakwatch-process.js';
import { LOOPBACK_IS_ALIBABA, TestSite, browse, reportPage } from '../support/leaking-phone.js';
import { freePort } from '../support/ports.js';
import { describeServiceCommand, serviceCommand } from './service-command.js';
import { apiSession } from './api-session.js';

const seconds = Number(process.env.LEAKWATCH_BENCH_SECONDS ?? 5);
const concurrency = 16;
const dir = mkdtempSync(join(tmpdir(), 'lw-bench-alerts-'));

interface Run {
  perSecond: number;
  count: number;
  p50: number;
  p99: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

function summary(latencies: number[], elapsedMs: number): Run {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { perSecond: (sorted.length / elapsedMs) * 1000, count: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
}

/** Runs `concurrency` loops of `one(i)` for `seconds`; returns how many ran. */
async function loops(one: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (Date.now() < end) await one(next++);
  }));
  return next;
}

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  for (const until = Date.now() + ms; Date.now() < until && !check();) await new Promise((r) => setTimeout(r, 10));
}

const broker = await Mosquitto.create(join(dir, 'broker'));
await broker.start();
const site = await TestSite.start();
const subscriber = await mqtt.connectAsync(broker.url, { clientId: 'bench-subscriber' });
await subscriber.subscribeAsync(['leakwatch/bench/alert', 'bench/floor'], { qos: 1 });
const arrived = new Map<string, number>();
subscriber.on('message', (topic, payload) => {
  const key = topic === 'bench/floor' ? String(payload).slice(0, 24) : (JSON.parse(String(payload)) as { data: { value: string } }).data.value;
  arrived.set(key, performance.now());
});

// Baseline 1: HTTP alone — the page load and the report, straight to the site.
const direct = { started: performance.now(), pairs: 0 };
direct.pairs = await loops(async (i) => {
  await browse(site.port, site.page(i)).catch(() => undefined);
  await reportPage(site.port, site.telemetryUrl, site.page(i));
});
const directPairsPerSecond = (direct.pairs / (performance.now() - direct.started)) * 1000;

// Baseline 2: MQTT alone — alert-sized QoS 1 messages, publisher to subscriber through Mosquitto.
const floorClient = await mqtt.connectAsync(broker.url, { clientId: 'bench-floor' });
const alertSized = 'x'.repeat(2500);
const floorSent = new Map<string, number>();
const floorStart = performance.now();
await loops(async (i) => {
  const key = `floor-${String(i).padStart(18, '0')}`;
  floorSent.set(key, performance.now());
  await floorClient.publishAsync('bench/floor', `${key}${alertSized}`, { qos: 1 });
});
await waitFor(() => [...floorSent.keys()].every((k) => arrived.has(k)), 10_000);
const floor = summary([...floorSent].filter(([k]) => arrived.has(k)).map(([k, t]) => arrived.get(k)! - t), performance.now() - floorStart);
await floorClient.endAsync();

// leakwatch: page load, then the browser's Sensors Analytics report of it, through the proxy.
const [proxyPort, apiPort] = [await freePort(), await freePort()];
const intel = join(dir, 'intel.json');
writeFileSync(intel, JSON.stringify(LOOPBACK_IS_ALIBABA));
const service = serviceCommand();
const leakwatch = await LeakwatchProcess.start([], {
  ...service.env,
  LEAKWATCH_DATA_DIR: join(dir, 'data'), LEAKWATCH_PROXY_PORT: String(proxyPort), LEAKWATCH_API_PORT: String(apiPort), LEAKWATCH_API_HTTPS_PORT: String(await freePort()), LEAKWATCH_API_PASSWORD: 'bench',
  LEAKWATCH_INTEL_FILES: intel, LEAKWATCH_MQTT_URL: broker.url, LEAKWATCH_MQTT_APPLIANCE_ID: 'bench',
}, service).catch(async (error: unknown) => {
  // A start that fails must not leave this bench's Mosquitto and folder behind.
  await subscriber.endAsync();
  await broker.stop();
  site.close();
  rmSync(dir, { recursive: true, force: true });
  throw error;
});
const reported = new Map<string, number>();
const leakStart = performance.now();
await loops(async (i) => {
  const page = site.page(1_000_000 + i);
  await browse(proxyPort, page);
  reported.set(page, performance.now());
  await reportPage(proxyPort, site.telemetryUrl, page);
});
await waitFor(() => [...reported.keys()].every((k) => arrived.has(k)), 30_000);
const delivered = [...reported].filter(([k]) => arrived.has(k));
const lastArrival = Math.max(...delivered.map(([k]) => arrived.get(k)!));
const leaks = summary(delivered.map(([k, t]) => arrived.get(k)! - t), lastArrival - leakStart);

// Latency at steady rates well below saturation: what a busy phone sends (50/s), and a quiet one
// (4/s), where a flow is at risk from a crash only while it waits to be committed. Saturated, the
// latency above is mostly time spent queueing for the inspection thread.
async function pacedLatency(perSecond: number, firstPage: number): Promise<{ summary: ReturnType<typeof summary>; sent: number }> {
  const paced = new Map<string, number>();
  const runs: Promise<void>[] = [];
  for (let i = 0; i < perSecond * seconds; i++) {
    const page = site.page(firstPage + i);
    runs.push(browse(proxyPort, page).then(() => {
      paced.set(page, performance.now());
      return reportPage(proxyPort, site.telemetryUrl, page);
    }).then(() => undefined));
    await new Promise((r) => setTimeout(r, 1000 / perSecond));
  }
  await Promise.all(runs);
  await waitFor(() => [...paced.keys()].every((k) => arrived.has(k)), 30_000);
  return { summary: summary([...paced].filter(([k]) => arrived.has(k)).map(([k, t]) => arrived.get(k)! - t), seconds * 1000), sent: paced.size };
}
const busy = await pacedLatency(50, 2_000_000);
const quiet = await pacedLatency(4, 3_000_000);

// Where the alert path's time went over the whole run, stage by stage, as leakwatch measures it.
interface Pipeline { flows: number; detectMsPerFlow: number; batches: number; storeMsPerBatch: number; storeMsPerFlow: number; alertsDelivered: number; publishMsPerAlert: number }
async function pipeline(): Promise<Pipeline> {
  return (await (await apiSession(apiPort, 'bench'))<{ pipeline: Pipeline }>('/api/system')).pipeline;
}
const stages = await pipeline();
await leakwatch.stop('SIGTERM');
await subscriber.endAsync();
await broker.stop();
site.close();

const ms = (n: number) => `${n.toFixed(1)} ms`;
process.stdout.write([
  `alert benchmark — loopback, explicit proxy, Sensors Analytics report (form → base64 → gzip → JSON) per page load, ${concurrency} phones, ${seconds} s each, Node ${process.version}, ${describeServiceCommand(service)}`,
  `  HTTP alone (no proxy)      ${directPairsPerSecond.toFixed(0).padStart(6)} page+report pairs/s`,
  `  MQTT alone (QoS 1, 2.5 kB) ${floor.perSecond.toFixed(0).padStart(6)} messages/s   publish → subscriber p50 ${ms(floor.p50)}   p99 ${ms(floor.p99)}`,
  `  through leakwatch          ${leaks.perSecond.toFixed(0).padStart(6)} alerts/s     report sent → alert at subscriber p50 ${ms(leaks.p50)}   p99 ${ms(leaks.p99)}`,
  `  alerts delivered: ${delivered.length} of ${reported.size} reports${delivered.length < reported.size ? ' (MISSING ALERTS)' : ''}`,
  ...[[50, busy], [4, quiet]].map(([rate, run]) => {
    const { summary: s, sent } = run as Awaited<ReturnType<typeof pacedLatency>>;
    return `  at a steady ${String(rate).padStart(2)} reports/s: report sent → alert at subscriber p50 ${ms(s.p50)}   p99 ${ms(s.p99)} (${s.count} of ${sent} delivered)`;
  }),
  `  per stage (the whole run, ${stages.flows} flows, ${stages.alertsDelivered} alerts delivered): detect ${stages.detectMsPerFlow.toFixed(3)} ms/flow (inspection thread); store ${stages.storeMsPerFlow.toFixed(3)} ms/flow in ${stages.batches} commits of ${stages.storeMsPerBatch.toFixed(2)} ms; publish ${stages.publishMsPerAlert.toFixed(3)} ms/alert (proxy thread)`,
  `  leakwatch / HTTP alone: ${((leaks.perSecond / directPairsPerSecond) * 100).toFixed(0)} % of the pairs/s; leakwatch / MQTT alone: ${((leaks.perSecond / floor.perSecond) * 100).toFixed(0)} % of the messages/s; latency over MQTT alone p50 +${ms(leaks.p50 - floor.p50)}, p99 +${ms(leaks.p99 - floor.p99)}`,
  '',
].join('\n'));
rmSync(dir, { recursive: true, force: true });
process.exit(0);
