import { readFile } from 'node:fs/promises';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AdminAuth } from '../api/auth.js';
import { buildApi } from '../api/build.js';
import { listenHttps } from '../api/https-server.js';
import type { Server as HttpsServer } from 'node:https';
import { HealthHistory } from '../system/health-history.js';
import { SelfTestLog } from '../system/self-test-log.js';
import { APPLIANCE_DOMAIN, isSelfTest } from '../model/index.js';
import { readHealth } from '../system/health.js';
import { parseArgs } from 'node:util';
import type { CliIo } from '../cli-io.js';
import { loadConfig } from '../config/config.js';
import type { Config } from '../config/settings.js';
import { lockDataDir, makeDataDirPrivate } from '../system/data-dir.js';
import { explainListenError } from '../config/listen-errors.js';
import { RuntimeSettings } from '../config/runtime-settings.js';
import { InspectionWorker } from '../inspect/index.js';
import { alertWritesVia } from '../inspect/store-writes.js';
import type { Alert } from '../model/index.js';
import { AllowedClients } from '../sources/proxy/allowed-clients.js';
import { loadOrCreateCa } from '../sources/proxy/ca.js';
import { DEFAULT_CLIENT_LIMITS, InterceptingProxy } from '../sources/proxy/intercepting-proxy.js';
import { LeafCertificates } from '../sources/proxy/leaf-certs.js';
import { alertTopicOf, startDelivery } from '../notify/delivery.js';
import { WorkerOutbox } from '../notify/worker-outbox.js';
import { AlertStore, DowntimeLog, Outbox, openDatabase } from '../store/index.js';
import { CanaryService } from '../canary/canary-service.js';
import { canaryVerdictMessage } from '../notify/canary-verdict.js';
import { leakwatchVersion } from '../version.js';
import { Hotspot } from './hotspot.js';
import type { ShutdownStep } from './service-lifecycle.js';
import { ServiceLifecycle } from './service-lifecycle.js';

const RETENTION_EVERY_MS = 10 * 60 * 1000;
/** How long a stop waits for requests in flight, then for MQTT acknowledgements (systemd allows 90 s). */
const SHUTDOWN_GRACE_MS = 5000;
/** Request bodies waiting for the inspection thread, at most (the phone never waits for it). */
const MAX_INSPECTION_BACKLOG_BYTES = 64 * 1024 * 1024;

/** Stops a server and cuts its open connections (live-alert streams never end by themselves). */
function closeServer(server: HttpsServer | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** One line per alert: what leaked, to whom, and whether the receiver is china-linked. */
export function alertLine(a: Alert): string {
  const to = `${a.destination.host}${a.destination.ip ? ` (${a.destination.ip}${a.destination.asn ? `, AS${a.destination.asn}` : ''})` : ''}`;
  return `${a.time} ${a.severity.toUpperCase()} ${a.confidence} ${a.data.kind} ${a.data.value} → ${to}${a.destination.chinaLinked ? ' [china-linked]' : ''} via ${a.path || 'plain text'}\n`;
}

/**
 * `leakwatch start [--config FILE]`: sources → detector → store → MQTT, in that order. Detection
 * and flow storage run on the inspection thread; every flow and alert is committed to SQLite, its
 * MQTT message queued in the outbox in the same transaction, before the message leaves (sent from
 * memory; the outbox is read back only at start and after a long broker outage); alerts also go
 * to stdout, problems to stderr.
 * SIGINT/SIGTERM stop the proxy first (requests in flight finish), then inspection, delivery and
 * the store; under systemd it reports READY, WATCHDOG and STOPPING.
 */
export async function startCommand(argv: readonly string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: { config: { type: 'string' } } });
  const config = await loadConfig(values.config);
  const lock = lockDataDir(config.dataDir);
  const lifecycle = new ServiceLifecycle(io, signal);
  try {
    const fixed = makeDataDirPrivate(config.dataDir);
    if (fixed > 0) io.stderr.write(`leakwatch: made ${fixed} ${fixed === 1 ? 'entry' : 'entries'} of ${config.dataDir} private to this user (directories 0700, files 0600)\n`);
    return await serve(config, io, lifecycle);
  } finally {
    lifecycle.release();
    lock.release();
  }
}

async function serve(config: Config, io: CliIo, lifecycle: ServiceLifecycle): Promise<number> {
  const ca = await loadOrCreateCa(config.dataDir);
  const upstreamCa = config.proxy.upstreamCaFile ? await readFile(config.proxy.upstreamCaFile, 'utf8') : undefined;
  const databasePath = join(config.dataDir, 'leakwatch.db');
  const db = openDatabase(databasePath);
  const store = new AlertStore(db);
  const hotspot = new Hotspot(config, db, `leakwatch ${leakwatchVersion()}`);
  hotspot.on('problem', (message) => io.stderr.write(`leakwatch: ${message}\n`));
  const { auth, generated } = AdminAuth.init(db, config.api.password || undefined);
  const downtime = new DowntimeLog(db);
  const gap = downtime.started(Date.now());
  if (gap) io.stderr.write(`leakwatch: was not running from ${new Date(gap.start).toISOString()} to ${new Date(gap.end).toISOString()} (${gap.reason}): phones had internet then, uninspected\n`);
  // Detection and the flows, alerts and outbox tables live on their own thread, started first:
  // MQTT delivery removes what the broker acknowledged through it. Store first, then deliver:
  // stdout, the page (SSE) and MQTT see an alert once the inspection thread has committed it.
  const alertTopic = alertTopicOf(config);
  const inspection = new InspectionWorker({
    databasePath, overlayFiles: config.intel.overlayFiles, alertTopic,
    policy: { hostedInMainlandChina: config.intel.hostedInMainlandChina, hostedInHongKongMacau: config.intel.hostedInHongKongMacau }, maxBacklogBytes: MAX_INSPECTION_BACKLOG_BYTES });
  await inspection.start().catch((error: unknown) => {
    db.close();
    throw error;
  });
  const outbox = new WorkerOutbox(new Outbox(db), (seqs) => inspection.write({ kind: 'delivered', seqs }), (message) => io.stderr.write(`leakwatch: ${message}\n`));
  const delivery = await startDelivery(config, outbox, auth, (message) => io.stderr.write(`leakwatch: ${message}\n`)).catch(async (error: unknown) => {
    await inspection.close();
    db.close();
    throw explainListenError(error, config);
  });
  const { publisher } = delivery;
  const live = new EventEmitter<{ alert: [Alert] }>();
  const settings = new RuntimeSettings(db, config);
  const capture = hotspot.capture;
  const canaries = new CanaryService({
    db,
    plant: (action, canary) => inspection.canary(action, canary),
    ...(capture ? { traffic: (device: string) => capture.traffic(device), devices: () => capture.devices() } : {}),
    finished: (verdict) => {
      if (!alertTopic) return;
      // Once queued, the thread announces it (`queued` below) and the publisher sends it.
      inspection.write(canaryVerdictMessage(config.mqtt.prefix, config.mqtt.applianceId, verdict, Date.now())).catch(
        (error: Error) => io.stderr.write(`leakwatch: canary session ${verdict.session}'s verdict was not queued for MQTT: ${error.message}\n`),
      );
    },
  });
  canaries.start();
  const history = new HealthHistory();
  const selfTests = new SelfTestLog();
  const api = await buildApi({ db, store, alertWrites: alertWritesVia((w) => inspection.write(w)), auth, ca, live, health: () => readHealth(config.dataDir), history: () => history.list(), settings,
    canaryHooks: { changed: (action, token) => inspection.canary(action, token) }, ...(capture ? { pcap: capture, activity: capture, captureCounters: () => {
      const { received, dropped } = capture.stats();
      return { packets: received, droppedPackets: dropped, bufferBytes: config.capture.bufferBytes };
    } } : {}),
    attribute: (ips) => inspection.attribute(ips), webTrackers: () => inspection.webTrackers(),
    // The proxy is made below; the API answers only once both listen.
    passthroughs: () => proxy.passthroughs().map((p) => ({ ...p, device: hotspot.identify(p.device).id })),
    pipeline: async () => ({ stages: await inspection.stageCosts(), published: publisher?.costs() ?? null }), ...(publisher ? { mqtt: () => publisher.state() } : {}),
    selfTest: { log: selfTests, identify: (ip) => hotspot.identify(ip) }, downtime: (since) => downtime.since(since),
    canarySessions: { service: canaries, visited: (flow) => inspection.inspect(hotspot.label(flow)), deviceOf: (ip) => hotspot.identify(ip).id } });
  const sampleHealth = () => {
    downtime.alive(Date.now());
    return readHealth(config.dataDir).then((h) => {
      history.add(h);
      publisher?.publishHealth(h);
    }, () => undefined);
  };
  const healthTimer = setInterval(sampleHealth, 60_000);
  healthTimer.unref();
  const retention = setInterval(() => {
    const policy = settings.retention();
    const now = Date.now();
    const cutoff = now - policy.maxAgeDays * 24 * 3600 * 1000;
    inspection.write({ kind: 'retention', policy, now }).catch((error: Error) => io.stderr.write(`leakwatch: ${error.message}; tried again in 10 minutes\n`));
    downtime.prune(cutoff);
    capture?.prune(cutoff);
  }, RETENTION_EVERY_MS);
  retention.unref();
  const leaves = new LeafCertificates(ca);
  const proxy = new InterceptingProxy({
    host: config.proxy.host,
    port: config.proxy.port,
    leaves,
    allowed: new AllowedClients(config.proxy.allowedClients),
    maxInspectBytes: config.proxy.maxInspectBytes,
    ...(upstreamCa ? { upstreamCa } : {}),
    ...(config.transparent.enabled ? { transparent: config.transparent } : {}),
    passthroughMinutes: config.proxy.pinningPassthroughMinutes,
    clientLimits: { ...DEFAULT_CLIENT_LIMITS, maxPerClient: config.proxy.maxConnectionsPerClient },
    appliancePage: { host: config.api.host === '0.0.0.0' ? '127.0.0.1' : config.api.host, port: config.api.port },
  });
  proxy.on('tls-failure', ({ device, host, cause, afterAccepting, passthrough }) => {
    if (isSelfTest(host)) return selfTests.refused(device, host, cause, Date.now());
    // A single cut-short handshake is everyday browser behaviour: said only when it changes something.
    if (afterAccepting) io.stderr.write(`leakwatch: ${device} took our certificate for ${host} before and now rejects it (an app that started pinning, or one that refuses inspection on purpose)\n`);
    if (passthrough) io.stderr.write(`leakwatch: ${device} refused our certificate for ${host} (${passthrough.reason === 'repeated-refusals' ? 'it hung up during the handshake again and again' : 'with a TLS alert'}); that app's connections to ${host} pass through uninspected for ${Math.round((passthrough.until - passthrough.since) / 60_000)} min, then are tried again\n`);
  });
  proxy.on('self-test', (answer) => selfTests.saw(answer));
  proxy.on('passthrough', ({ device, host, port }) => io.stderr.write(`leakwatch: passthrough ${device} → ${host}:${port} (not inspected)\n`));
  inspection.on('alerts', (alerts) => {
    for (const alert of alerts) {
      io.stdout.write(alertLine(alert));
      live.emit('alert', alert);
    }
  });
  // Committed MQTT messages go out from memory: the outbox is read back only after more waited than memory holds.
  inspection.on('queued', (messages) => {
    outbox.queued(messages);
    publisher?.drain();
  });
  inspection.on('problem', (message) => io.stderr.write(`leakwatch: ${message}\n`));
  proxy.on('flow', (flow) => inspection.inspect(hotspot.label(flow)));
  hotspot.on('flow', (flow) => inspection.inspect(hotspot.label(flow)));
  if (hotspot.capture) proxy.on('keylog', ({ device, line }) => hotspot.tlsKey(device, line));
  proxy.on('problem', (message) => io.stderr.write(`leakwatch: ${message}\n`));
  proxy.on('refused', (address) => io.stderr.write(`leakwatch: refused a connection from ${address} (not an allowed client)\n`));
  let https: HttpsServer | undefined;
  const shutdown: ShutdownStep[] = [
    // Stop accepting, let requests in flight finish; their flows reach inspection before it closes.
    { name: 'the proxy', run: () => proxy.close(SHUTDOWN_GRACE_MS) },
    { name: 'packet capture', run: () => hotspot.close() },
    // Every flow handed over is committed and its alerts sent; the thread stays up for MQTT
    // delivery's last removals from the outbox, and closes after it.
    { name: 'inspection', run: () => inspection.flush() },
    { name: 'the web API', run: () => api.close() },
    { name: 'the HTTPS page', run: () => closeServer(https) },
    { name: 'the timers', run: () => {
      [retention, healthTimer].forEach(clearInterval);
      canaries.stop();
    } },
    { name: 'MQTT delivery', run: async () => {
      await delivery.stop(SHUTDOWN_GRACE_MS);
      await outbox.settled();
    } },
    { name: 'the inspection thread', run: () => inspection.close() },
    { name: 'the database', run: () => {
      downtime.stopped(Date.now());
      db.close();
    } },
  ];
  let address: AddressInfo;
  try {
    address = await proxy.listen();
    await api.listen({ host: config.api.host, port: config.api.port });
    https = await listenHttps(api, { host: config.api.host, port: config.api.httpsPort, leaves, names: [APPLIANCE_DOMAIN] });
  } catch (error) {
    // A port taken, or an address not (yet) on this machine: stop what runs, then name the setting.
    await lifecycle.shutdown(shutdown);
    throw explainListenError(error, config);
  }
  if (generated) {
    // Shown and kept only now that the page is up: a start that failed above kept nothing.
    auth.keepGenerated();
    io.stderr.write(`leakwatch: admin password for the web page (shown once, keep it; \`leakwatch password\` sets another): ${generated}\n`);
  }
  io.stderr.write(`leakwatch: web page and API on http://${config.api.host}:${config.api.port}/ and https://${config.api.host}:${config.api.httpsPort}/ (trust the appliance CA for https)\n`);
  const t = config.transparent;
  io.stderr.write(`leakwatch: proxy listening on ${address.address}:${address.port}${t.enabled ? `, transparent on ${t.host}:${t.httpPort} (HTTP) and ${t.host}:${t.httpsPort} (HTTPS)` : ''}; install the CA from \`leakwatch ca export\` on the phone\n`);
  lifecycle.ready(`proxy on ${address.address}:${address.port}, web page on http://${config.api.host}:${config.api.port}/`, () => inspection.stalled());
  // The first sample once ready: reading the machine is no reason to start later.
  void sampleHealth();
  await lifecycle.stopRequested();
  const clean = await lifecycle.shutdown(shutdown);
  return clean ? 0 : 1;
}
