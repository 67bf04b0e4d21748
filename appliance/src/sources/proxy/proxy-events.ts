import type { EventEmitter } from 'node:events';
import type { Flow } from '../../model/index.js';
import type { SelfTestAnswer } from './self-test-answer.js';
import type { TlsFailureCause } from './tls-failure.js';
import type { Passthrough } from './passthrough.js';

export interface ProxyEvents {
  flow: [Flow];
  /** A connection from an address outside `allowedClients` was closed. */
  refused: [string];
  /** Something went wrong on one connection; the proxy carries on. */
  problem: [string];
  /**
   * A client's TLS handshake with us failed (a pinned app, our CA not installed, or a connection
   * cut short); `passthrough` when that earned the client passthrough for the host, `afterAccepting`
   * when it took our certificate for the host before and now rejects it.
   */
  'tls-failure': [{ device: string; host: string; cause: TlsFailureCause; afterAccepting: boolean; passthrough?: Passthrough }];
  /** A connection relayed untouched because the device refused our certificate before. */
  passthrough: [{ device: string; host: string; port: number; ja4?: string }];
  /**
   * A TLS session key (an NSS key log line) of a connection we terminated, so packet captures of it
   * can be decrypted. Key logging starts only once something listens for this event.
   */
  keylog: [{ device: string; line: string }];
  /** The proxy answered a self-test request itself (a reserved name: nothing was forwarded or recorded). */
  'self-test': [SelfTestAnswer];
}

export type ProxyEmitter = EventEmitter<ProxyEvents>;
