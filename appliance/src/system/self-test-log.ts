import type { SelfTestAnswer } from '../sources/proxy/self-test-answer.js';
import type { TlsFailureCause } from '../sources/proxy/tls-failure.js';

export interface SelfTestSighting {
  scheme: 'http' | 'https';
  host: string;
  time: number;
}

export interface SelfTestRefusal {
  host: string;
  cause: TlsFailureCause;
  time: number;
}

interface ClientLog {
  seen: SelfTestSighting[];
  refused: SelfTestRefusal[];
}

const PER_CLIENT = 20;
const CLIENTS = 256;

/**
 * What the proxy saw of each client's self-test requests: the ones it answered, and the TLS
 * handshakes the client refused on self-test names (its browser does not trust the CA). Kept in
 * memory, a few per client: the self-test asks only about the last minutes.
 */
export class SelfTestLog {
  private readonly clients = new Map<string, ClientLog>();

  saw(answer: SelfTestAnswer): void {
    push(this.log(answer.client).seen, { scheme: answer.scheme, host: answer.host, time: answer.time });
  }

  refused(client: string, host: string, cause: TlsFailureCause, time: number): void {
    push(this.log(client).refused, { host, cause, time });
  }

  /** The client's self-test requests and refusals since `since` (epoch ms), oldest first. */
  of(client: string, since: number): ClientLog {
    const log = this.clients.get(client);
    return { seen: log?.seen.filter((s) => s.time >= since) ?? [], refused: log?.refused.filter((r) => r.time >= since) ?? [] };
  }

  private log(client: string): ClientLog {
    let log = this.clients.get(client);
    if (log) this.clients.delete(client);
    else log = { seen: [], refused: [] };
    this.clients.set(client, log);
    if (this.clients.size > CLIENTS) this.clients.delete(this.clients.keys().next().value!);
    return log;
  }
}

function push<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > PER_CLIENT) list.shift();
}
