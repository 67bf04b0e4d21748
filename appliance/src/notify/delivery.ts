import { readFile } from 'node:fs/promises';
import type { AdminAuth } from '../api/auth.js';
import type { Config } from '../config/config.js';
import type { OutboxPublisher, OutboxQueue } from './publisher.js';
import { topic } from './topics.js';

/** MQTT as configured: to the broker at `mqtt.url`, to the embedded broker, or not at all. */
export interface Delivery {
  publisher: OutboxPublisher | undefined;
  /** Where alerts are queued in the outbox; undefined when there is no MQTT. */
  alertTopic: string | undefined;
  /** Delivers what it can within `graceMs`, then disconnects (and stops the embedded broker). */
  stop(graceMs: number): Promise<void>;
}

/** Where alerts are queued for MQTT as configured; undefined when there is no MQTT (no broker URL, no embedded broker). */
export function alertTopicOf(config: Config): string | undefined {
  const { mqtt } = config;
  return mqtt.url || mqtt.embedded.enabled ? topic(mqtt.prefix, mqtt.applianceId, 'alert') : undefined;
}

/**
 * `say` gets problems and the embedded broker's address, one line each. The MQTT client and the
 * broker are loaded only when configured: the Pi's default has neither, and together they hold
 * ~5 MB of the service's heap (issue 14's idle memory).
 */
export async function startDelivery(config: Config, outbox: OutboxQueue, auth: AdminAuth, say: (message: string) => void): Promise<Delivery> {
  const { mqtt } = config;
  if (!mqtt.url && !mqtt.embedded.enabled) return { publisher: undefined, alertTopic: undefined, stop: async () => undefined };
  const { OutboxPublisher, publisherClientId } = await import('./publisher.js');
  const broker = mqtt.embedded.enabled
    ? await (await import('./embedded-broker.js')).EmbeddedBroker.start({
        host: mqtt.embedded.host,
        port: mqtt.embedded.port,
        applianceClientId: publisherClientId(mqtt.applianceId),
        login: mqtt.username && mqtt.password ? { username: mqtt.username, password: mqtt.password } : { adminPassword: (password) => auth.matches(password) },
      })
    : undefined;
  if (broker) say(`embedded MQTT broker on ${mqtt.embedded.host}:${broker.address().port}: subscribe to ${topic(mqtt.prefix, mqtt.applianceId, 'alert')} with ${mqtt.username && mqtt.password ? 'mqtt.username and mqtt.password' : 'any user name and the admin password'}`);
  const common = { prefix: mqtt.prefix, applianceId: mqtt.applianceId };
  const publisher = broker
    ? new OutboxPublisher(outbox, { ...common, url: `mqtt://${mqtt.embedded.host}:${broker.address().port} (embedded)`, stream: () => broker.connectInProcess() })
    : new OutboxPublisher(outbox, {
        ...common,
        url: mqtt.url,
        ...(mqtt.username ? { username: mqtt.username } : {}),
        ...(mqtt.password ? { password: mqtt.password } : {}),
        ...(mqtt.caFile ? { ca: await readFile(mqtt.caFile, 'utf8') } : {}),
      });
  publisher.on('problem', say);
  publisher.start();
  return {
    publisher,
    alertTopic: alertTopicOf(config),
    async stop(graceMs) {
      await publisher.stop(graceMs);
      await broker?.close();
    },
  };
}
