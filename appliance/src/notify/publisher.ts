import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import mqtt, { MqttClient } from 'mqtt';
import type { IClientOptions } from 'mqtt';
import type { OutboxMessage } from '../store/index.js';
import type { Health } from '../system/health.js';
import { connectionProblem } from './connection-problem.js';
import { discoveryMessages } from './ha-discovery.js';
import { topic } from './topics.js';

export interface PublisherOptions {
  /** The broker; with `stream`, only the name used in messages. */
  url: string;
  /** Connects through this stream (the embedded broker, in-process) instead of to `url`. */
  stream?: () => Duplex;
  prefix: string;
  applianceId: string;
  username?: string;
  password?: string;
  /** Extra CA (PEM) for a broker on TLS. */
  ca?: string;
}

const RETRY_MS = 1000;

/** What the publisher needs of the outbox: what waits, in order, and a way to say what the broker acknowledged. */
export interface OutboxQueue {
  pending(limit?: number): OutboxMessage[];
  size(): number;
  delivered(seq: number): void;
}

/** The publisher's fixed MQTT client id (a persistent session needs a fixed one). */
export function publisherClientId(applianceId: string): string {
  return `leakwatch-${applianceId}`;
}

/** How delivery stands, for the web page's settings view. */
export interface PublisherState {
  broker: string;
  connected: boolean;
  /** Alerts stored and not yet acknowledged by the broker. */
  waiting: number;
  /** Why the broker cannot be reached, while it cannot. */
  problem: string | null;
}

export interface PublisherEvents {
  delivered: [number];
  problem: [string];
}

/**
 * Delivers the SQLite outbox to the broker at QoS 1: a message leaves the outbox only when the
 * broker acknowledged it, so a broker down for minutes, or a restart of leakwatch, loses nothing
 * (mqtt.js alone keeps offline messages in memory only). A retained `status` with a last will
 * says whether the appliance is online; Home Assistant discovery is re-sent when HA comes online.
 */
export class OutboxPublisher extends EventEmitter<PublisherEvents> {
  private client: MqttClient | undefined;
  private draining = false;
  private stopped = false;
  private readonly inFlight = new Set<number>();
  /** The last problem said: a broker that stays down is reported once, not at every retry. */
  private lastProblem: string | undefined;
  /** Messages acknowledged, and the time this thread spent reading, sending and marking them (ms). */
  private readonly spent = { delivered: 0, ms: 0 };

  constructor(
    private readonly outbox: OutboxQueue,
    private readonly options: PublisherOptions,
  ) {
    super();
  }

  start(): void {
    const status = topic(this.options.prefix, this.options.applianceId, 'status');
    const options: IClientOptions = {
      clientId: publisherClientId(this.options.applianceId),
      clean: false,
      reconnectPeriod: RETRY_MS,
      // A refused login (wrong password) is retried too: the broker's users may be fixed meanwhile.
      reconnectOnConnackError: true,
      will: { topic: status, payload: Buffer.from('offline'), qos: 1, retain: true },
      ...(this.options.username ? { username: this.options.username } : {}),
      ...(this.options.password ? { password: this.options.password } : {}),
      ...(this.options.ca ? { ca: this.options.ca } : {}),
    };
    const stream = this.options.stream;
    this.client = stream ? new MqttClient(() => stream(), options) : mqtt.connect(this.options.url, options);
    this.client.on('connect', () => {
      this.lastProblem = undefined;
      // An alert is one small packet written in pieces: without this, Nagle holds the last piece
      // until the broker's delayed ACK (~40 ms) on every quiet-time alert.
      (this.client!.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
      this.client!.publish(status, 'online', { qos: 1, retain: true });
      this.publishDiscovery();
      this.client!.subscribe('homeassistant/status', { qos: 0 });
      this.drain();
    });
    this.client.on('message', (t, payload) => {
      if (t === 'homeassistant/status' && String(payload) === 'online') this.publishDiscovery();
    });
    this.client.on('error', (error) => {
      const problem = connectionProblem(this.options.url, error);
      if (problem === this.lastProblem) return;
      this.lastProblem = problem;
      this.emit('problem', `${problem} (retrying every ${RETRY_MS / 1000} s)`);
    });
  }

  /** Sends what the outbox holds; call after new alerts were stored. */
  drain(): void {
    const client = this.client;
    if (!client?.connected || this.draining) return;
    this.draining = true;
    const started = performance.now();
    try {
      for (const message of this.outbox.pending(500)) {
        if (this.inFlight.has(message.seq)) continue;
        this.inFlight.add(message.seq);
        client.publish(message.topic, message.payload, { qos: 1 }, (error) => {
          this.inFlight.delete(message.seq);
          // After stop() the database may be closed; the message stays in the outbox for next start.
          if (error || this.stopped) return;
          const acked = performance.now();
          this.outbox.delivered(message.seq);
          this.spent.delivered++;
          this.spent.ms += performance.now() - acked;
          this.emit('delivered', message.seq);
          // A burst larger than one drain's page continues once this page is acknowledged.
          if (this.inFlight.size === 0) this.drain();
        });
      }
    } finally {
      this.draining = false;
      this.spent.ms += performance.now() - started;
    }
  }

  /** Messages delivered since start, and this thread's time on them (ms): the publish stage's cost. */
  costs(): { delivered: number; ms: number } {
    return { ...this.spent };
  }

  state(): PublisherState {
    return { broker: this.options.url, connected: this.client?.connected ?? false, waiting: this.outbox.size(), problem: this.lastProblem ?? null };
  }

  /** The appliance's health, retained so a new subscriber sees the latest at once. */
  publishHealth(health: Health): void {
    if (this.client?.connected) this.client.publish(topic(this.options.prefix, this.options.applianceId, 'health'), JSON.stringify(health), { qos: 0, retain: true });
  }

  /**
   * Delivers what the outbox holds for up to `graceMs` while connected, says `offline`, and
   * disconnects. Whatever was not acknowledged stays in the outbox for the next start.
   */
  async stop(graceMs = 0): Promise<void> {
    const client = this.client;
    if (!client) return;
    if (client.connected) {
      this.drain();
      await this.outboxEmpty(graceMs);
      await client.publishAsync(topic(this.options.prefix, this.options.applianceId, 'status'), 'offline', { qos: 1, retain: true }).catch(() => undefined);
    }
    // A broker that stopped answering must not hold up the shutdown: after the grace period the
    // connection is cut (a forced end calls only its own callback, hence one promise for both).
    await new Promise<void>((resolve) => {
      const late = setTimeout(() => client.end(true, () => resolve()), Math.max(graceMs, 1000));
      client.end(false, () => {
        clearTimeout(late);
        resolve();
      });
    });
    this.stopped = true;
  }

  private async outboxEmpty(ms: number): Promise<void> {
    for (const until = Date.now() + ms; Date.now() < until && this.client?.connected; await new Promise((r) => setTimeout(r, 20))) {
      if (this.inFlight.size === 0 && this.outbox.pending(1).length === 0) return;
    }
  }

  private publishDiscovery(): void {
    for (const m of discoveryMessages(this.options.prefix, this.options.applianceId)) this.client?.publish(m.topic, m.payload, { qos: 1, retain: true });
  }
}
