import { ConfigError } from './config-error.js';
import type { Config } from './settings.js';

/** Where a setting's value came from: the config file's path, `environment VAR`, or `default`. */
export type SourceOf = (path: string) => string;

/** The capture ring's bounds: a few of libpcap's 128 KiB blocks at least, and no more than a small board can spare. */
const MIN_CAPTURE_BUFFER = 1024 * 1024;
const MAX_CAPTURE_BUFFER = 256 * 1024 * 1024;

/** Settings that are each fine alone but cannot go together. */
export function checkConsistency(config: Config, sourceOf: SourceOf): void {
  const { mqtt } = config;
  if (mqtt.embedded.enabled && mqtt.url) {
    throw new ConfigError(
      `${sourceOf('mqtt.embedded.enabled')}: mqtt.embedded.enabled is true while ${sourceOf('mqtt.url')} sets mqtt.url (${mqtt.url}): the embedded broker is only for setups without a broker — remove mqtt.url to use the embedded one, or set mqtt.embedded.enabled to false to deliver to ${mqtt.url}`,
      'mqtt.embedded.enabled', sourceOf('mqtt.embedded.enabled'),
    );
  }
  if (mqtt.caFile && /^(mqtt|ws):/.test(mqtt.url)) {
    throw new ConfigError(`${sourceOf('mqtt.caFile')}: mqtt.caFile is set but mqtt.url (${sourceOf('mqtt.url')}) is ${mqtt.url}, without TLS: write mqtts:// (or wss://) to use the CA, or remove mqtt.caFile`, 'mqtt.caFile', sourceOf('mqtt.caFile'));
  }
  if (mqtt.url && mqtt.password && !mqtt.username) {
    throw new ConfigError(`${sourceOf('mqtt.password')}: mqtt.password is set without mqtt.username: MQTT 3.1.1 sends a password only with a user name — set mqtt.username too`, 'mqtt.password', sourceOf('mqtt.password'));
  }
  if (config.proxy.allowedClients.length === 0) {
    throw new ConfigError(`${sourceOf('proxy.allowedClients')}: proxy.allowedClients is empty, so the proxy would refuse every device: list the hotspot's range, like ["10.42.0.0/24", "127.0.0.0/8"]`, 'proxy.allowedClients', sourceOf('proxy.allowedClients'));
  }
  const ring = config.capture.bufferBytes;
  if (ring < MIN_CAPTURE_BUFFER || ring > MAX_CAPTURE_BUFFER) {
    throw new ConfigError(`${sourceOf('capture.bufferBytes')}: capture.bufferBytes is ${ring}: give 1 MiB (1048576) to 256 MiB (268435456) — the ring is kernel memory held while capture runs, and below 1 MiB a burst of full-size packets drops some`, 'capture.bufferBytes', sourceOf('capture.bufferBytes'));
  }
  checkListeners(config, sourceOf);
}

/** A socket leakwatch listens on, by the setting that names its port. */
export interface Listener {
  path: string;
  host: string;
  port: number;
}

/** Every listener this config opens: proxy, API, transparent ports and embedded broker when on. */
export function listenersOf(config: Config): Listener[] {
  const t = config.transparent;
  const e = config.mqtt.embedded;
  return [
    { path: 'proxy.port', host: config.proxy.host, port: config.proxy.port },
    { path: 'api.port', host: config.api.host, port: config.api.port },
    { path: 'api.httpsPort', host: config.api.host, port: config.api.httpsPort },
    ...(t.enabled ? [{ path: 'transparent.httpPort', host: t.host, port: t.httpPort }, { path: 'transparent.httpsPort', host: t.host, port: t.httpsPort }] : []),
    ...(e.enabled ? [{ path: 'mqtt.embedded.port', host: e.host, port: e.port }] : []),
  ];
}

/** Two listeners cannot share a port on overlapping addresses (0.0.0.0 and :: overlap every address). */
function checkListeners(config: Config, sourceOf: SourceOf): void {
  const listeners = listenersOf(config);
  const wildcard = (host: string) => host === '0.0.0.0' || host === '::';
  for (const [i, a] of listeners.entries()) {
    for (const b of listeners.slice(i + 1)) {
      if (a.port !== b.port || !(a.host === b.host || wildcard(a.host) || wildcard(b.host))) continue;
      // Blame the one someone set, not the default it collides with.
      const [blamed, other] = sourceOf(b.path) === 'default' && sourceOf(a.path) !== 'default' ? [a, b] : [b, a];
      const source = sourceOf(blamed.path);
      throw new ConfigError(
        `${source}: ${blamed.path} ${blamed.port} is also ${other.path} (${sourceOf(other.path)}), on ${blamed.host} and ${other.host}: two listeners cannot share a port — give ${blamed.path} another port`,
        blamed.path, source,
      );
    }
  }
}
