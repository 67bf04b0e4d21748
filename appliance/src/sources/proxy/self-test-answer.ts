import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { Target } from './flow-recorder.js';

/** What the proxy answers to a self-test request: proof that the request came through it. */
export interface SelfTestAnswer {
  leakwatch: 'self-test';
  /** The address the request came from, as the proxy saw it. */
  client: string;
  scheme: 'http' | 'https';
  host: string;
  time: number;
}

/**
 * Answers a self-test request in place of the (non-existent) server: a small JSON the page can
 * read from any origin, never cached. Nothing is forwarded and no flow is recorded: it is the
 * appliance talking to itself.
 */
export function answerSelfTest(req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse, target: Target, client: string): SelfTestAnswer {
  const answer: SelfTestAnswer = { leakwatch: 'self-test', client, scheme: target.scheme, host: target.host || target.connectTo || '', time: Date.now() };
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'GET',
    // The page is on the appliance's own (private) address: Chrome's private-network preflight asks for this.
    'access-control-allow-private-network': 'true',
  };
  if (req.method === 'OPTIONS') {
    (res as ServerResponse).writeHead(204, headers).end();
    return answer;
  }
  req.resume();
  (res as ServerResponse).writeHead(200, headers).end(JSON.stringify(answer));
  return answer;
}
