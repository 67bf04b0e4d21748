import { ConfigError } from './config-error.js';
import { listenersOf } from './consistency.js';
import type { Config } from './settings.js';

/**
 * A listener that could not open, said as the setting to change: a port another program holds, a
 * port below 1024 without the capability, an address this machine does not have (yet — on the Pi,
 * the hotspot's 10.42.0.1 exists only once NetworkManager brought the hotspot up). Other errors
 * come back unchanged.
 */
export function explainListenError(error: unknown, config: Config): unknown {
  const { code, port, address } = error as NodeJS.ErrnoException & { port?: number; address?: string };
  const listener = listenersOf(config).find((l) => l.port === port && (address === undefined || l.host === address));
  if (!listener) return error;
  const at = `${listener.path} ${listener.port} on ${listener.host}`;
  const explain = (what: string) => new ConfigError(`${at}: ${what}`, listener.path);
  if (code === 'EADDRINUSE') return explain(`the port is in use by another program (EADDRINUSE): stop it (\`ss -ltnp 'sport = :${listener.port}'\` shows which) or choose another ${listener.path}`);
  if (code === 'EACCES') return explain(`ports below 1024 need privileges (EACCES): run leakwatch with CAP_NET_BIND_SERVICE (the systemd unit grants it) or choose a port ≥ 1024`);
  if (code === 'EADDRNOTAVAIL') {
    const hostSetting = listener.path.replace(/\.\w+$/, '.host');
    return new ConfigError(`${hostSetting} ${listener.host} is not an address of this machine (EADDRNOTAVAIL): bring up the interface that has it (the hotspot) before leakwatch, or choose another ${hostSetting}`, hostSetting);
  }
  return error;
}
