import { readFile } from 'node:fs/promises';
import { DEFAULT_ALLOWED_CLIENTS } from '../sources/proxy/allowed-clients.js';
import { parseCidr } from '../intel/ip.js';

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
    /** How long a host a device refused to let us intercept (pinning) passes through untouched. */
    pinningPassthroughMinutes: number;
  };
  /** Transparent mode (the Pi): nftables redirects the hotspot's TCP 80/443 to these ports. */
  transparent: { enabled: boolean; host: string; httpPort: number; httpsPort: number };
  intel: { overlayFiles: string[] };
  /** MQTT delivery of alerts; off while `url` is empty. */
  mqtt: { url: string; prefix: string; applianceId: string; username: string; password: string; caFile: string | undefined };
  retention: { maxAgeDays: number; maxBytes: number };
  /** The web API and page. `password` empty: generated on first start and printed once. */
  api: { host: string; port: number; password: string };
}

export const DEFAULT_CONFIG: Config = {
  dataDir: './data',
  proxy: { host: '127.0.0.1', port: 8888, allowedClients: DEFAULT_ALLOWED_CLIENTS, maxInspectBytes: 1024 * 1024, upstreamCaFile: undefined, pinningPassthroughMinutes: 30 },
  transparent: { enabled: false, host: '0.0.0.0', httpPort: 8081, httpsPort: 8443 },
  intel: { overlayFiles: [] },
  mqtt: { url: '', prefix: 'leakwatch', applianceId: 'leakwatch', username: '', password: '', caFile: undefined },
  retention: { maxAgeDays: 90, maxBytes: 1024 * 1024 * 1024 },
  api: { host: '127.0.0.1', port: 8080, password: '' },
};

export class ConfigError extends Error {}

type Setting = { path: string; env: string; kind: 'string' | 'port' | 'bytes' | 'count' | 'list' | 'cidrs' | 'boolean' };

export const SETTINGS: readonly Setting[] = [
  { path: 'dataDir', env: 'LEAKWATCH_DATA_DIR', kind: 'string' },
  { path: 'proxy.host', env: 'LEAKWATCH_PROXY_HOST', kind: 'string' },
  { path: 'proxy.port', env: 'LEAKWATCH_PROXY_PORT', kind: 'port' },
  { path: 'proxy.allowedClients', env: 'LEAKWATCH_PROXY_ALLOWED_CLIENTS', kind: 'cidrs' },
  { path: 'proxy.maxInspectBytes', env: 'LEAKWATCH_PROXY_MAX_INSPECT_BYTES', kind: 'bytes' },
  { path: 'proxy.upstreamCaFile', env: 'LEAKWATCH_PROXY_UPSTREAM_CA_FILE', kind: 'string' },
  { path: 'proxy.pinningPassthroughMinutes', env: 'LEAKWATCH_PROXY_PINNING_PASSTHROUGH_MINUTES', kind: 'count' },
  { path: 'transparent.enabled', env: 'LEAKWATCH_TRANSPARENT_ENABLED', kind: 'boolean' },
  { path: 'transparent.host', env: 'LEAKWATCH_TRANSPARENT_HOST', kind: 'string' },
  { path: 'transparent.httpPort', env: 'LEAKWATCH_TRANSPARENT_HTTP_PORT', kind: 'port' },
  { path: 'transparent.httpsPort', env: 'LEAKWATCH_TRANSPARENT_HTTPS_PORT', kind: 'port' },
  { path: 'intel.overlayFiles', env: 'LEAKWATCH_INTEL_FILES', kind: 'list' },
  { path: 'mqtt.url', env: 'LEAKWATCH_MQTT_URL', kind: 'string' },
  { path: 'mqtt.prefix', env: 'LEAKWATCH_MQTT_PREFIX', kind: 'string' },
  { path: 'mqtt.applianceId', env: 'LEAKWATCH_MQTT_APPLIANCE_ID', kind: 'string' },
  { path: 'mqtt.username', env: 'LEAKWATCH_MQTT_USERNAME', kind: 'string' },
  { path: 'mqtt.password', env: 'LEAKWATCH_MQTT_PASSWORD', kind: 'string' },
  { path: 'mqtt.caFile', env: 'LEAKWATCH_MQTT_CA_FILE', kind: 'string' },
  { path: 'retention.maxAgeDays', env: 'LEAKWATCH_RETENTION_MAX_AGE_DAYS', kind: 'count' },
  { path: 'retention.maxBytes', env: 'LEAKWATCH_RETENTION_MAX_BYTES', kind: 'bytes' },
  { path: 'api.host', env: 'LEAKWATCH_API_HOST', kind: 'string' },
  { path: 'api.port', env: 'LEAKWATCH_API_PORT', kind: 'port' },
  { path: 'api.password', env: 'LEAKWATCH_API_PASSWORD', kind: 'string' },
];

function check(s: Setting, value: unknown, where: string): unknown {
  const bad = (what: string) => new ConfigError(`${where}: ${s.path} ${what}`);
  switch (s.kind) {
    case 'boolean':
      if (value === true || value === 'true' || value === '1') return true;
      if (value === false || value === 'false' || value === '0') return false;
      throw bad(`${JSON.stringify(value)} is not true or false`);
    case 'string':
      if (typeof value !== 'string' || value === '') throw bad('must be a non-empty string');
      return value;
    case 'port': {
      const n = typeof value === 'string' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) throw bad(`${JSON.stringify(value)} is not a port (1-65535)`);
      return n;
    }
    case 'bytes':
    case 'count': {
      const n = typeof value === 'string' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw bad(`${JSON.stringify(value)} is not ${s.kind === 'bytes' ? 'a byte count' : 'a count'} (a whole number ≥ 0)`);
      return n;
    }
    case 'list':
    case 'cidrs': {
      const list = typeof value === 'string' ? value.split(',').map((x) => x.trim()).filter(Boolean) : value;
      if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) throw bad('must be a list of strings (comma-separated in the environment)');
      if (s.kind === 'cidrs') for (const c of list as string[]) if (!parseCidr(c)) throw bad(`entry "${c}" is not a CIDR like 10.42.0.0/24`);
      return list;
    }
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  node[keys[keys.length - 1]!] = value;
}

function getPath(source: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((n, k) => (n !== null && typeof n === 'object' ? (n as Record<string, unknown>)[k] : undefined), source);
}

/** Defaults, then the config file, then environment variables; each value validated. */
export async function loadConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  const config = structuredClone(DEFAULT_CONFIG) as unknown as Record<string, unknown>;
  if (file) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(`${file}: cannot read the config file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    for (const s of SETTINGS) {
      const value = getPath(json, s.path);
      if (value !== undefined) setPath(config, s.path, check(s, value, file));
    }
  }
  for (const s of SETTINGS) {
    const value = env[s.env];
    if (value !== undefined && value !== '') setPath(config, s.path, check(s, value, `environment ${s.env}`));
  }
  return config as unknown as Config;
}
