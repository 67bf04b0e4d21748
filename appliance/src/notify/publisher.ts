import { EventEmitter } from 'node:events';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import type { Outbox } from '../store/index.js';
import type { Health } from '../system/health.js';
import { discoveryMessages } from './ha-discovery.js';
import { topic } from './topics.js';

export interface PublisherOptions {
  url: string;
  prefix: string;
  applianceId: string;
  username?: string;
  password?: string;
  /** Extra CA (PEM) for a broker on TLS. */
  ca?: string;
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
  private readonly inFlight = new Set<number>();

  constructor(
    private readonly outbox: Outbox,
    private readonly options: PublisherOptions,
  ) {
    super();
  }

  start(): void {
    const status = topic(this.options.prefix, this.options.applianceId, 'status');
    this.client = mqtt.connect(this.options.url, {
      clientId: `leakwatch-${this.options.applianceId}`,
      clean: false,
      reconnectPeriod: 1000,
      will: { topic: status, payload: Buffer.from('offline'), qos: 1, retain: true },
      ...(this.options.username ? { username: this.options.username } : {}),
      ...(this.options.password ? { password: this.options.password } : {}),
      ...(this.options.ca ? { ca: this.options.ca } : {}),
    });
    this.client.on('connect', () => {
      this.client!.publish(status, 'online', { qos: 1, retain: true });
      this.publishDiscovery();
      this.client!.subscribe('homeassistant/status', { qos: 0 });
      this.drain();
    });
    this.client.on('message', (t, payload) => {
      if (t === 'homeassistant/status' && String(payload) === 'online') this.publishDiscovery();
    });
    this.client.on('error', (error) => this.emit('problem', `MQTT ${this.options.url}: ${error.message}`));
  }

  /** Sends what the outbox holds; call after new alerts were stored. */
  drain(): void {
    const client = this.client;
    if (!client?.connected || this.draining) return;
    this.draining = true;
    try {
      for (const message of this.outbox.pending(500)) {
        if (this.inFlight.has(message.seq)) continue;
        this.inFlight.add(message.seq);
        client.publish(message.topic, message.payload, { qos: 1 }, (error) => {
          this.inFlight.delete(message.seq);
          if (error) return;
          this.outbox.delivered(message.seq);
          this.emit('delivered', message.seq);
        });
      }
    } finally {
      this.draining = false;
    }
  }

  /** The appliance's health, retained so a new subscriber sees the latest at once. */
  publishHealth(health: Health): void {
    if (this.client?.connected) this.client.publish(topic(this.options.prefix, this.options.applianceId, 'health'), JSON.stringify(health), { qos: 0, retain: true });
  }

  async stop(): Promise<void> {
    const client = this.client;
    if (!client) return;
    if (client.connected) await client.publishAsync(topic(this.options.prefix, this.options.applianceId, 'status'), 'offline', { qos: 1, retain: true }).catch(() => undefined);
    await client.endAsync();
  }

  private publishDiscovery(): void {
    for (const m of discoveryMessages(this.options.prefix, this.options.applianceId)) this.client?.publish(m.topic, m.payload, { qos: 1, retain: true });
  }
}
