import { parentPort, workerData } from 'node:worker_threads';
import { Detector } from '../detect/index.js';
import { DEFAULT_DECODE_BUDGET } from '../detect/decode/types.js';
import { loadIntel } from '../intel/index.js';
import type { Alert, Flow } from '../model/index.js';
import { activeCanaries } from '../canary/watch.js';
import { AlertStore, BatchWriter, CanarySessionStore, CanaryStore, openDatabase } from '../store/index.js';
import type { FromWorker, InspectionSetup, ToWorker } from './messages.js';
import { lowerThisThreadPriority } from './thread-priority.js';
import { StoreWrites } from './store-writes.js';
import { StageClock } from './stage-costs.js';
import { isCommonWord } from '../words/common-words.js';
import { plural } from '../plural.js';

/**
 * The inspection thread: detector and flow/alert writes run here, so decoding a large telemetry
 * body or committing a batch never delays the phone's traffic on the proxy's thread. It is the only
 * writer of the flows, alerts and outbox tables: other threads ask it (`write`).
 */
const port = parentPort;
if (!port) throw new Error('worker-main.ts runs only as a worker thread (see inspection-worker.ts)');
const setup = workerData as InspectionSetup;
const send = (message: FromWorker) => port.postMessage(message);

/** Nice 10: below the proxy's thread, above anything niced further by the system. */
const INSPECTION_NICE = 10;
const lowered = lowerThisThreadPriority(INSPECTION_NICE);
if (lowered) send({ type: 'problem', message: lowered });

const intel = await loadIntel({ overlayFiles: setup.overlayFiles, ...(setup.policy ? { policy: setup.policy } : {}) });
const detector = new Detector(intel, { isCommonWord, decodeBudget: { clock: () => performance.now() } });
const db = openDatabase(setup.databasePath);
for (const token of new CanaryStore(db).tokens()) detector.addCanary(token);
for (const canary of activeCanaries(new CanarySessionStore(db).unfinished(), Date.now())) detector.addCanary(canary);
const clock = new StageClock();
const writer = new BatchWriter(new AlertStore(db), {
  topic: setup.alertTopic,
  committed: (ms) => clock.stored(ms),
  flushed: (alerts, queued) => send({ type: 'alerts', alerts, queued }),
  failed: (error, flows) => send({ type: 'problem', message: `could not store ${plural(flows, 'flow')} and their alerts: ${error.message}` }),
});

const writes = new StoreWrites(db, (messages) => send({ type: 'queued', messages }));

/** Requests cut short by the decode time budget: said at most once a minute, with how many since. */
let outOfTimeReported = 0;
let outOfTimeSaid = 0;
function reportOutOfTime(flow: Flow): void {
  const now = performance.now();
  if (now - outOfTimeSaid < 60_000 && outOfTimeSaid > 0) return;
  const count = detector.counts.outOfTime - outOfTimeReported;
  send({ type: 'problem', message: `${count} request(s) only partly inspected (the last to ${flow.destination.host}): decoding ran out of its ${DEFAULT_DECODE_BUDGET.maxMillis} ms budget` });
  outOfTimeReported = detector.counts.outOfTime;
  outOfTimeSaid = now;
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'close') {
    writer.flush();
    db.close();
    send({ type: 'closed' });
    port.close();
    return;
  }
  if (message.type === 'attribute') {
    send({ type: 'attributed', id: message.id, destinations: message.ips.map((ip) => intel.attribute(ip, ip, 0)) });
    return;
  }
  if (message.type === 'web-trackers') {
    send({ type: 'web-trackers', id: message.id, trackers: detector.webTrackers() });
    return;
  }
  if (message.type === 'stage-costs') {
    send({ type: 'stage-costs', id: message.id, costs: clock.snapshot() });
    return;
  }
  if (message.type === 'write' || message.type === 'flush') {
    // What was handed over before the question is committed (and its alerts sent) before the answer.
    writer.flush();
    if (message.type === 'flush') return send({ type: 'written', id: message.id });
    try {
      send({ type: 'written', id: message.id, result: writes.apply(message.write) });
    } catch (error) {
      send({ type: 'written', id: message.id, error: (error as Error).message });
    }
    return;
  }
  if (message.type === 'canary') {
    if (message.action === 'add') detector.addCanary(message.canary);
    else detector.removeCanary(message.canary);
    return;
  }
  let bytes = 0;
  for (const flow of message.flows) {
    bytes += flow.body.length;
    let alerts: Alert[] = [];
    const started = performance.now();
    try {
      alerts = detector.observe(flow);
    } catch (error) {
      // One flow the detector cannot handle is reported and still stored; the rest go on.
      send({ type: 'problem', message: `inspecting ${flow.id}: ${(error as Error).message}` });
    }
    clock.detected(performance.now() - started);
    writer.add(flow, alerts);
    if (detector.counts.outOfTime > outOfTimeReported) reportOutOfTime(flow);
  }
  send({ type: 'taken', count: message.flows.length, bytes });
});
send({ type: 'ready' });
