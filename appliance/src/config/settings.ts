import { DEFAULT_ALLOWED_CLIENTS } from '../sources/proxy/allowed-clients.js';
import { DEFAULT_CAPTURE_BUFFER_BYTES } from '../sources/capture/live-capture.js';

/**
 * Every setting of `leakwatch start`, its default (a laptop: explicit proxy on loopback, data in
 * ./data) and its environment variable, all listed in appliance/src/config/README.md.
 */
export interface Config {
  dataDir: string;
  proxy: {
    host: string;
    port: number;
    allowedClients: string[];
    maxInspectBytes: number;
    /** PEM file of an extra CA trusted for upstream servers (labs). */
    upstreamCaFile: string | undefined;
    /** How long a client's first passthrough of a host lasts (each later one twice as long, up to a day). */
    pinningPassthroughMinutes: number;
    /** Open connections one client on the hotspot may hold; more are refused, so one device cannot exhaust the Pi. */
    maxConnectionsPerClient: number;
  };
  /** Transparent mode (the Pi): nftables redirects the hotspot's TCP 80/443 to these ports. */
  transparent: { enabled: boolean; host: string; httpPort: number; httpsPort: number };
  /**
   * Attribution: `--intel` overlays, and which hosted-in reasons (the address block registered in
   * mainland China; in Hong Kong or Macau) make a receiver china-linked without an owned-by reason.
   */
  intel: { overlayFiles: string[]; hostedInMainlandChina: boolean; hostedInHongKongMacau: boolean };
  /** MQTT delivery of alerts: to the broker at `url`, or to the embedded one; off when neither. */
  mqtt: {
    url: string;
    prefix: string;
    applianceId: string;
    username: string;
    password: string;
    caFile: string | undefined;
    /** A broker inside leakwatch for setups without one; phones and Home Assistant subscribe to it. */
    embedded: { enabled: boolean; host: string; port: number };
  };
  retention: { maxAgeDays: number; maxBytes: number };
  /** How hotspot clients are told apart: by MAC and DHCP name from dnsmasq's leases (empty: by IP). */
  devices: { leaseFile: string };
  /** Live packet capture on the hotspot interface (node-pcap): byte counters and rolling evidence. */
  capture: { enabled: boolean; interface: string; maxBytesPerDevice: number; bufferBytes: number };
  /**
   * The web API and page, over HTTP on `port` and HTTPS on `httpsPort` (a leaf from the appliance
   * CA). `password` empty: generated on first start and printed once.
   */
  api: { host: string; port: number; httpsPort: number; password: string };
}

export const DEFAULT_CONFIG: Config = {
  dataDir: './data',
  proxy: { host: '127.0.0.1', port: 8888, allowedClients: DEFAULT_ALLOWED_CLIENTS, maxInspectBytes: 1024 * 1024, upstreamCaFile: undefined, pinningPassthroughMinutes: 30, maxConnectionsPerClient: 512 },
  transparent: { enabled: false, host: '0.0.0.0', httpPort: 8081, httpsPort: 8443 },
  intel: { overlayFiles: [], hostedInMainlandChina: true, hostedInHongKongMacau: true },
  mqtt: { url: '', prefix: 'leakwatch', applianceId: 'leakwatch', username: '', password: '', caFile: undefined, embedded: { enabled: false, host: '127.0.0.1', port: 1883 } },
  retention: { maxAgeDays: 90, maxBytes: 1024 * 1024 * 1024 },
  devices: { leaseFile: '' },
  capture: { enabled: false, interface: 'wlan0', maxBytesPerDevice: 32 * 1024 * 1024, bufferBytes: DEFAULT_CAPTURE_BUFFER_BYTES },
  api: { host: '127.0.0.1', port: 8080, httpsPort: 8444, password: '' },
};

/**
 * What a value must be. `path` any non-empty path; `host` an IP address or host name; `text` any
 * non-empty text; `url` an MQTT broker URL or empty; `topic` MQTT topic levels without wildcards;
 * `name` letters, digits, `_` and `-` (Home Assistant ids); `caFile` a readable PEM certificate;
 * `intelFiles` readable `--intel` overlays.
 */
export type Kind = 'path' | 'host' | 'text' | 'url' | 'topic' | 'name' | 'caFile' | 'intelFiles' | 'port' | 'bytes' | 'count' | 'boolean' | 'cidrs';

export interface Setting {
  path: string;
  env: string;
  kind: Kind;
}

export const SETTINGS: readonly Setting[] = [
  { path: 'dataDir', env: 'LEAKWATCH_DATA_DIR', kind: 'path' },
  { path: 'proxy.host', env: 'LEAKWATCH_PROXY_HOST', kind: 'host' },
  { path: 'proxy.port', env: 'LEAKWATCH_PROXY_PORT', kind: 'port' },
  { path: 'proxy.allowedClients', env: 'LEAKWATCH_PROXY_ALLOWED_CLIENTS', kind: 'cidrs' },
  { path: 'proxy.maxInspectBytes', env: 'LEAKWATCH_PROXY_MAX_INSPECT_BYTES', kind: 'bytes' },
  { path: 'proxy.upstreamCaFile', env: 'LEAKWATCH_PROXY_UPSTREAM_CA_FILE', kind: 'caFile' },
  { path: 'proxy.pinningPassthroughMinutes', env: 'LEAKWATCH_PROXY_PINNING_PASSTHROUGH_MINUTES', kind: 'count' },
  { path: 'proxy.maxConnectionsPerClient', env: 'LEAKWATCH_PROXY_MAX_CONNECTIONS_PER_CLIENT', kind: 'count' },
  { path: 'transparent.enabled', env: 'LEAKWATCH_TRANSPARENT_ENABLED', kind: 'boolean' },
  { path: 'transparent.host', env: 'LEAKWATCH_TRANSPARENT_HOST', kind: 'host' },
  { path: 'transparent.httpPort', env: 'LEAKWATCH_TRANSPARENT_HTTP_PORT', kind: 'port' },
  { path: 'transparent.httpsPort', env: 'LEAKWATCH_TRANSPARENT_HTTPS_PORT', kind: 'port' },
  { path: 'intel.overlayFiles', env: 'LEAKWATCH_INTEL_FILES', kind: 'intelFiles' },
  { path: 'intel.hostedInMainlandChina', env: 'LEAKWATCH_INTEL_HOSTED_IN_MAINLAND_CHINA', kind: 'boolean' },
  { path: 'intel.hostedInHongKongMacau', env: 'LEAKWATCH_INTEL_HOSTED_IN_HONG_KONG_MACAU', kind: 'boolean' },
  { path: 'mqtt.url', env: 'LEAKWATCH_MQTT_URL', kind: 'url' },
  { path: 'mqtt.prefix', env: 'LEAKWATCH_MQTT_PREFIX', kind: 'topic' },
  { path: 'mqtt.applianceId', env: 'LEAKWATCH_MQTT_APPLIANCE_ID', kind: 'name' },
  { path: 'mqtt.username', env: 'LEAKWATCH_MQTT_USERNAME', kind: 'text' },
  { path: 'mqtt.password', env: 'LEAKWATCH_MQTT_PASSWORD', kind: 'text' },
  { path: 'mqtt.caFile', env: 'LEAKWATCH_MQTT_CA_FILE', kind: 'caFile' },
  { path: 'mqtt.embedded.enabled', env: 'LEAKWATCH_MQTT_EMBEDDED_ENABLED', kind: 'boolean' },
  { path: 'mqtt.embedded.host', env: 'LEAKWATCH_MQTT_EMBEDDED_HOST', kind: 'host' },
  { path: 'mqtt.embedded.port', env: 'LEAKWATCH_MQTT_EMBEDDED_PORT', kind: 'port' },
  { path: 'retention.maxAgeDays', env: 'LEAKWATCH_RETENTION_MAX_AGE_DAYS', kind: 'count' },
  { path: 'retention.maxBytes', env: 'LEAKWATCH_RETENTION_MAX_BYTES', kind: 'bytes' },
  { path: 'devices.leaseFile', env: 'LEAKWATCH_DEVICES_LEASE_FILE', kind: 'path' },
  { path: 'capture.enabled', env: 'LEAKWATCH_CAPTURE_ENABLED', kind: 'boolean' },
  { path: 'capture.interface', env: 'LEAKWATCH_CAPTURE_INTERFACE', kind: 'text' },
  { path: 'capture.maxBytesPerDevice', env: 'LEAKWATCH_CAPTURE_MAX_BYTES_PER_DEVICE', kind: 'bytes' },
  { path: 'capture.bufferBytes', env: 'LEAKWATCH_CAPTURE_BUFFER_BYTES', kind: 'bytes' },
  { path: 'api.host', env: 'LEAKWATCH_API_HOST', kind: 'host' },
  { path: 'api.port', env: 'LEAKWATCH_API_PORT', kind: 'port' },
  { path: 'api.httpsPort', env: 'LEAKWATCH_API_HTTPS_PORT', kind: 'port' },
  { path: 'api.password', env: 'LEAKWATCH_API_PASSWORD', kind: 'text' },
];
