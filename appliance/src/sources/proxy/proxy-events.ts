import type { EventEmitter } from 'node:events';
import type { Flow } from '../../model/index.js';
import type { TlsFailureCause } from './tls-failure.js';

export interface ProxyEvents {
  flow: [Flow];
  /** A connection from an address outside `allowedClients` was closed. */
  refused: [string];
  /** Something went wrong on one connection; the proxy carries on. */
  problem: [string];
  /** A client's TLS handshake with us failed (a pinned app, or our CA not installed). */
  'tls-failure': [{ device: string; host: string; cause: TlsFailureCause }];
  /** A connection relayed untouched because the device refused our certificate before. */
  passthrough: [{ device: string; host: string; port: number; ja4?: string }];
}

export type ProxyEmitter = EventEmitter<ProxyEvents>;
