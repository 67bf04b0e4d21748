import { isIP } from 'node:net';
import { parseCidr } from '../intel/ip.js';
import { ConfigError } from './config-error.js';
import type { Setting } from './settings.js';

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;
const MQTT_SCHEMES = ['mqtt:', 'mqtts:', 'ws:', 'wss:'];

/**
 * Checks one value from `source` against its setting's kind; returns it typed (numbers, lists,
 * booleans). Environment values are text, so there a list is comma-separated; a file gives arrays.
 */
export function checkValue(s: Setting, value: unknown, source: string, fromEnvironment: boolean): unknown {
  const bad = (what: string) => new ConfigError(`${source}: ${s.path} ${what}`, s.path, source);
  const shown = JSON.stringify(value);
  switch (s.kind) {
    case 'boolean':
      if (value === true || value === 'true' || value === '1') return true;
      if (value === false || value === 'false' || value === '0') return false;
      throw bad(`${shown} is not true or false`);
    case 'path':
    case 'text':
    case 'caFile':
      if (typeof value !== 'string' || value === '') throw bad(`must be a non-empty string, not ${shown}`);
      return value;
    case 'host':
      if (typeof value !== 'string' || !(isIP(value) || HOST_NAME.test(value))) throw bad(`${shown} is not an address: give an IP address like 10.42.0.1 (0.0.0.0 for every interface) or a host name`);
      return value;
    case 'url': {
      if (value === '') return value;
      const url = typeof value === 'string' ? safeUrl(value) : undefined;
      if (!url || !MQTT_SCHEMES.includes(url.protocol) || !url.hostname) throw bad(`${shown} is not a broker URL: write it like mqtt://192.168.1.10:1883 or mqtts://broker.lan:8883 (ws:// and wss:// work too)`);
      return value;
    }
    case 'topic':
      if (typeof value !== 'string' || value === '' || /[+#\0]/.test(value) || value.startsWith('/') || value.endsWith('/') || value.includes('//')) throw bad(`${shown} is not a topic prefix: use letters and digits, levels split by single "/" (like leakwatch or home/leakwatch), no + or #`);
      return value;
    case 'name':
      if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+$/.test(value)) throw bad(`${shown} is not a name Home Assistant and MQTT topics accept: use letters, digits, _ and - (like pi-livingroom)`);
      return value;
    case 'port': {
      const n = typeof value === 'string' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) throw bad(`${shown} is not a port (1-65535)`);
      return n;
    }
    case 'bytes':
    case 'count': {
      const n = typeof value === 'string' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw bad(`${shown} is not ${s.kind === 'bytes' ? 'a byte count' : 'a count'} (a whole number ≥ 0)`);
      return n;
    }
    case 'intelFiles':
    case 'cidrs': {
      const list = fromEnvironment && typeof value === 'string' ? value.split(',').map((x) => x.trim()).filter(Boolean) : value;
      if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) throw bad(`must be a list of strings (a JSON array in the file, comma-separated in the environment), not ${shown}`);
      if (s.kind === 'cidrs') for (const c of list as string[]) if (!parseCidr(c)) throw bad(`entry "${c}" is not a CIDR like 10.42.0.0/24 (an address, "/", a prefix length)`);
      return list;
    }
  }
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
