import { randomFill } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import type { Alert, Attribution, Flow, PlantedCanary, WebTracker } from '../model/index.js';
import type { OutboxMessage } from '../store/index.js';
import type { FromWorker, InspectionSetup, StoreWrite, ToWorker, WriteResult } from './messages.js';
import type { StageCosts } from './stage-costs.js';
import { startWorkerMain } from './worker-entry.js';
import { plural } from '../plural.js';

export interface InspectionWorkerOptions extends InspectionSetup {
  /**
   * Body bytes allowed to wait for the thread. Beyond it, flows are still forwarded (the phone
   * never waits for inspection) but not inspected or stored, and that is reported.
   */
  maxBacklogBytes: number;
  /** Flows allowed to wait, however small: each costs memory beyond its body. */
  maxBacklogFlows?: number;
  /** Wait before starting a thread again after it failed. */
  restartDelayMs?: number;
}

export class InspectionError extends Error {}

/**
 * Flows go to the thread in one message per this many milliseconds: each postMessage has a fixed
 * cost on the proxy's thread, and a few milliseconds more before detection costs the phone nothing.
 */
const SEND_EVERY_MS = 10;
/** About a minute of a busy phone's requests, a few tens of MB at most. */
const DEFAULT_MAX_BACKLOG_FLOWS = 50_000;

/** `alerts`: committed alerts; `queued`: the MQTT messages committed with them (or by a write), in outbox order. */
type Events = { alerts: [Alert[]]; queued: [OutboxMessage[]]; problem: [string] };

/**
 * The detector and the flow store on their own thread (ARCHITECTURE decision 1): the proxy hands
 * each flow over and goes on; committed alerts come back as `alerts` events. Flows are sent in one
 * message every few milliseconds, so a busy proxy pays for one postMessage per batch.
 */
export class InspectionWorker extends EventEmitter<Events> {
  private worker: Worker | undefined;
  private queued: Flow[] = [];
  private sendScheduled = false;
  private lastSent = -Infinity;
  private inFlightFlows = 0;
  private backlogBytes = 0;
  private skipped = 0;
  private closing = false;
  private closed: (() => void) | undefined;
  /** Since when flows have waited without the thread taking any (undefined: none waiting). */
  private waitingSince: number | undefined;
  private nextQuestion = 0;
  /** Questions to the thread waiting for their answer, by id. */
  private readonly questions = new Map<number, (answer: unknown) => void>();

  constructor(private readonly options: InspectionWorkerOptions) {
    super();
  }

  /** Resolves when the thread has loaded intel and opened the database. */
  async start(): Promise<void> {
    await startThreadPoolHere();
    return new Promise((resolve, reject) => {
      const { maxBacklogBytes: _max, maxBacklogFlows: _flows, restartDelayMs: _delay, ...setup } = this.options;
      const worker = startWorkerMain({ workerData: setup satisfies InspectionSetup });
      let ready = false;
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') {
          ready = true;
          this.worker = worker;
          this.sendQueued();
          resolve();
        } else this.received(message);
      });
      worker.on('error', (error) => {
        if (!ready) reject(new InspectionError(`the inspection thread could not start: ${error.message}`));
        else this.emit('problem', `the inspection thread failed: ${error.message}`);
      });
      worker.on('exit', (code) => {
        if (this.worker === worker) this.worker = undefined;
        if (!ready) return reject(new InspectionError(`the inspection thread exited with code ${code} before it was ready`));
        if (this.closing) return this.closed?.();
        this.restartAfterFailure(code);
      });
    });
  }

  /** Hands a flow to the thread; never throws and never waits. */
  inspect(flow: Flow): void {
    if (this.closing) return;
    if (this.backlogBytes + flow.body.length > this.options.maxBacklogBytes || this.inFlightFlows >= (this.options.maxBacklogFlows ?? DEFAULT_MAX_BACKLOG_FLOWS)) {
      if (this.skipped++ === 0) this.emit('problem', `inspection is behind (${plural(this.inFlightFlows, 'flow')}, ${plural(this.backlogBytes, 'byte')} waiting): traffic is forwarded but not inspected until it catches up`);
      return;
    }
    this.queued.push(flow);
    if (this.inFlightFlows++ === 0) this.waitingSince = Date.now();
    this.backlogBytes += flow.body.length;
    if (!this.sendScheduled) {
      this.sendScheduled = true;
      // At once after a quiet spell, else at most one message per SEND_EVERY_MS under load.
      setTimeout(() => this.sendQueued(), Math.max(0, this.lastSent + SEND_EVERY_MS - Date.now()));
    }
  }

  /**
   * Why the thread looks stuck — flows waiting and none taken for `stallMs` — or undefined. The
   * service stops its systemd watchdog pings on it, so systemd restarts a wedged appliance.
   */
  stalled(now = Date.now(), stallMs = 60_000): string | undefined {
    if (this.waitingSince === undefined || now - this.waitingSince < stallMs) return undefined;
    return `the inspection thread has taken no flow for ${Math.round((now - this.waitingSince) / 1000)} s while ${this.inFlightFlows} wait`;
  }

  /** Plants (or removes) a canary in the running detector; a restarted thread reads the watched ones from the database. */
  canary(action: 'add' | 'remove', canary: string | PlantedCanary): void {
    const planted: PlantedCanary = typeof canary === 'string' ? { value: canary, kind: 'token' } : canary;
    this.worker?.postMessage({ type: 'canary', action, canary: planted } satisfies ToWorker);
  }

  /**
   * Who the addresses belong to (network, company, country, china-linked), from the intel tables
   * the thread holds; rejects when the thread is not running or does not answer within `ms`.
   */
  attribute(ips: readonly string[], ms = 5000): Promise<Attribution[]> {
    if (ips.length === 0 && this.worker && !this.closing) return Promise.resolve([]);
    return this.ask<Attribution[]>((id) => ({ type: 'attribute', id, ips: [...ips] }), ms);
  }

  /** The pages seen reporting themselves to third parties since the thread started (not alerts). */
  webTrackers(ms = 5000): Promise<WebTracker[]> {
    return this.ask<WebTracker[]>((id) => ({ type: 'web-trackers', id }), ms);
  }

  /** Where the thread's time went since it started: the detector's per flow, the commits' per batch. */
  stageCosts(ms = 5000): Promise<StageCosts> {
    return this.ask<StageCosts>((id) => ({ type: 'stage-costs', id }), ms);
  }

  /**
   * Has the thread apply a write to the tables it alone writes (flows, alerts, outbox), after what
   * was handed over before; rejects when the write failed, or the thread is not running or does not
   * answer within `ms`.
   */
  async write(write: StoreWrite, ms = 10_000): Promise<WriteResult> {
    const answer = await this.ask<{ result?: WriteResult; error?: string }>((id) => ({ type: 'write', id, write }), ms);
    if (answer.error !== undefined || answer.result === undefined) throw new InspectionError(`the inspection thread could not ${describe(write)}: ${answer.error ?? 'no result'}`);
    return answer.result;
  }

  /** Resolves once every flow handed over so far is committed and its alerts emitted. */
  async flush(ms = 10_000): Promise<void> {
    this.sendQueued();
    await this.ask<unknown>((id) => ({ type: 'flush', id }), ms);
  }

  /** Asks the thread; rejects when it is not running or does not answer within `ms`. */
  private ask<T>(question: (id: number) => ToWorker, ms: number): Promise<T> {
    const worker = this.worker;
    if (!worker || this.closing) return Promise.reject(new InspectionError('the inspection thread is not running'));
    const id = this.nextQuestion++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.questions.delete(id);
        reject(new InspectionError(`the inspection thread did not answer within ${ms} ms`));
      }, ms);
      this.questions.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer as T);
      });
      worker.postMessage(question(id));
    });
  }

  /** Inspects and commits everything handed over so far, then stops the thread. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const worker = this.worker;
    if (!worker) return;
    this.sendQueued();
    await new Promise<void>((resolve) => {
      this.closed = resolve;
      worker.postMessage({ type: 'close' } satisfies ToWorker);
    });
  }

  private sendQueued(): void {
    this.sendScheduled = false;
    this.lastSent = Date.now();
    if (!this.worker || this.queued.length === 0) return;
    const flows = this.queued;
    this.queued = [];
    try {
      this.worker.postMessage({ type: 'flows', flows } satisfies ToWorker, bodiesToMove(flows));
    } catch (error) {
      // A flow that cannot be copied to the thread is dropped from inspection, never thrown at the proxy.
      this.inFlightFlows -= flows.length;
      this.backlogBytes -= flows.reduce((sum, f) => sum + f.body.length, 0);
      this.emit('problem', `${plural(flows.length, 'flow')} could not be handed to the inspection thread: ${(error as Error).message}`);
    }
  }

  private received(message: Exclude<FromWorker, { type: 'ready' }>): void {
    switch (message.type) {
      case 'alerts':
        this.emit('alerts', message.alerts);
        if (message.queued.length > 0) this.emit('queued', message.queued);
        break;
      case 'queued':
        this.emit('queued', message.messages);
        break;
      case 'taken':
        this.inFlightFlows -= message.count;
        this.backlogBytes -= message.bytes;
        this.waitingSince = this.inFlightFlows > 0 ? Date.now() : undefined;
        if (this.skipped > 0 && this.backlogBytes === 0) {
          this.emit('problem', `inspection caught up; ${plural(this.skipped, 'flow was', 'flows were')} forwarded without inspection meanwhile`);
          this.skipped = 0;
        }
        break;
      case 'problem':
        this.emit('problem', message.message);
        break;
      case 'attributed':
        this.questions.get(message.id)?.(message.destinations);
        this.questions.delete(message.id);
        break;
      case 'web-trackers':
        this.questions.get(message.id)?.(message.trackers);
        this.questions.delete(message.id);
        break;
      case 'stage-costs':
        this.questions.get(message.id)?.(message.costs);
        this.questions.delete(message.id);
        break;
      case 'written':
        this.questions.get(message.id)?.(message);
        this.questions.delete(message.id);
        break;
      case 'closed':
        break;
    }
  }

  /** Fail open: the proxy keeps forwarding while a new thread starts (its browsing memory starts empty). */
  private restartAfterFailure(code: number): void {
    const lost = this.inFlightFlows - this.queued.length;
    this.emit('problem', `the inspection thread stopped (exit code ${code}); ${plural(lost, 'flow', 'flows')} in flight ${lost === 1 ? 'was' : 'were'} not inspected; starting it again`);
    this.inFlightFlows = this.queued.length;
    this.backlogBytes = this.queued.reduce((sum, f) => sum + f.body.length, 0);
    setTimeout(() => {
      if (this.closing) return;
      this.start().catch((error: Error) => this.emit('problem', `${error.message}; flows are forwarded but no longer inspected`));
    }, this.options.restartDelayMs ?? 1000).unref();
  }
}

/** A write in words, for the error that says it failed. */
function describe(write: StoreWrite): string {
  switch (write.kind) {
    case 'acknowledge':
      return `acknowledge alert ${write.alert}`;
    case 'acknowledge-all':
      return 'acknowledge the alerts';
    case 'delivered':
      return `remove ${plural(write.seqs.length, 'delivered message')} from the MQTT outbox`;
    case 'enqueue':
      return `queue ${write.key} for MQTT`;
    case 'retention':
      return 'apply the retention policy';
  }
}

/**
 * libuv's thread pool (file system, DNS lookups, crypto) is started by the first thread that uses
 * it, and its threads inherit that thread's priority. The inspection thread lowers its own priority
 * (nice 10) first thing: were it the first to use the pool, the proxy's DNS lookups and file work
 * would run at nice 10 too. One pool task from this thread starts the pool at the process's
 * priority (Node 24 starts it later than Node 20 did).
 */
function startThreadPoolHere(): Promise<void> {
  return new Promise((resolve) => randomFill(new Uint8Array(1), () => resolve()));
}

/**
 * The flows' bodies that move to the thread instead of being copied: those that own their whole
 * memory (a body sliced from a larger buffer, such as Node's Buffer pool, 8 KiB on Node 20 and
 * 64 KiB on Node 24, must not take the rest with it). The proxy's thread never reads a body again
 * once handed on; copied, each waited there as garbage until a collection (under hostile uploads
 * of 1 MiB bodies, tens of MB at once).
 */
function bodiesToMove(flows: readonly Flow[]): ArrayBuffer[] {
  const moved = new Set<ArrayBuffer>();
  for (const { body } of flows) {
    const memory = body.buffer;
    if (memory instanceof ArrayBuffer && body.byteLength > 0 && body.byteOffset === 0 && body.byteLength === memory.byteLength) moved.add(memory);
  }
  return [...moved];
}
