import type { ClientRequest, Agent as HttpAgent, IncomingMessage, ServerResponse } from 'node:http';
import { request as httpRequest } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { Agent as HttpsAgent } from 'node:https';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { Target } from './flow-recorder.js';
import { FlowRecorder, originForm } from './flow-recorder.js';

/** Hop-by-hop and proxy headers that must not travel on (RFC 9110 §7.6.1); HTTP/2 forbids them too. */
export const HOP_BY_HOP = new Set(['connection', 'proxy-connection', 'keep-alive', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

export interface ForwardOptions {
  agent: HttpAgent | HttpsAgent;
  maxInspectBytes: number;
  /**
   * How long after the request ended to wait for the response head before the flow is handed on
   * without it: a server that never answers must not keep a request from the detector.
   */
  responseWaitMs: number;
  /**
   * Called once per request: when the request has ended and the response head (or an error) came
   * back, when the wait for the head ran out, or when the client went away — whichever comes first.
   */
  recorded: (recorder: FlowRecorder) => void;
}

/**
 * Forwards one request upstream and streams the answer back, copying a bounded part of the body
 * on the side. An upstream that cannot be reached or verified gets the client a 502 that says why.
 */
export function forwardRequest(req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse, target: Target, options: ForwardOptions): void {
  const recorder = new FlowRecorder(req, target, options.maxInspectBytes);
  let done = false;
  let requestDone = false;
  let responseSeen = false;
  let waitForHead: NodeJS.Timeout | undefined;
  const record = () => {
    if (done) return;
    done = true;
    clearTimeout(waitForHead);
    options.recorded(recorder);
  };
  const settle = () => {
    if (requestDone && responseSeen) record();
  };
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !HOP_BY_HOP.has(name) && !name.startsWith(':')) headers[name] = value;
  // HTTP/2 names the host in :authority; an HTTP/1.1 upstream wants a Host header.
  if (!headers.host && req.headers[':authority']) headers.host = String(req.headers[':authority']);
  const send = target.scheme === 'https' ? httpsRequest : httpRequest;
  const replay = new ReplayableBody();
  let retried = false;
  let clientGone = false;
  const open = (agent: ForwardOptions['agent'] | false): ClientRequest => {
    const upstream = send({
      host: target.connectTo ?? target.host,
      port: target.port,
      method: req.method,
      path: originForm(req.url ?? '/'),
      headers,
      agent,
      ...(target.scheme === 'https' && !isIP(target.host) ? { servername: target.host } : {}),
    });
    upstream.on('response', (up) => {
      recorder.responseHead(up);
      const out: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(up.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
      if (req.httpVersionMajor === 2) (res as Http2ServerResponse).writeHead(up.statusCode ?? 502, out);
      else (res as ServerResponse).writeHead(up.statusCode ?? 502, up.statusMessage, out);
      up.pipe(res);
      // An answer cut off upstream is cut off for the phone too (pipe does not pass errors on):
      // otherwise the phone waits for the rest of a body that never comes.
      up.once('error', (error) => res.destroy(error));
      responseSeen = true;
      settle();
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (clientGone) return;
      // A pooled connection the server closed while it sat idle fails before any answer: the
      // request never reached it, so it goes once more on a fresh connection (RFC 9110 §9.2.2 —
      // browsers do the same). Never when an answer began or the body can no longer be replayed.
      if (!retried && upstream.reusedSocket && !responseSeen && !res.headersSent && STALE_CONNECTION.has(error.code ?? '') && replay.complete()) {
        retried = true;
        current = open(false);
        replay.writeTo(current, requestDone);
        if (!requestDone) req.resume();
        return;
      }
      // A bad upstream certificate is shown to the phone, never hidden by a working-looking answer.
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' }).end(`leakwatch: could not reach ${target.host}:${target.port}: ${error.code ?? ''} ${error.message}\n`);
      } else {
        res.destroy(error);
      }
      responseSeen = true;
      settle();
    });
    upstream.on('drain', () => req.resume());
    return upstream;
  };
  let current = open(options.agent);
  // The body goes upstream as it arrives (paused while the upstream is full) and is kept, up to
  // REPLAY_LIMIT, for the one retry a stale pooled connection may need.
  req.on('data', (chunk: Buffer) => {
    recorder.body(chunk);
    replay.add(chunk);
    if (!current.destroyed && !current.write(chunk)) req.pause();
  });
  req.on('end', () => {
    requestDone = true;
    if (!current.destroyed) current.end();
    settle();
    if (!done) waitForHead = setTimeout(record, options.responseWaitMs).unref();
  });
  // The client gone (it gave up, or the response is complete): what was seen is recorded, and an
  // upstream request still waiting for its answer is dropped.
  res.once('close', () => {
    clientGone = true;
    if (!res.writableFinished) current.destroy();
    record();
  });
}

/** Errors of a pooled connection the server closed while it was idle. */
const STALE_CONNECTION = new Set(['ECONNRESET', 'EPIPE']);
/** Request bodies up to this size are kept for a retry; larger ones are never retried. */
const REPLAY_LIMIT = 64 * 1024;

/** A request body kept while it streams upstream, so a request can be sent once more. */
class ReplayableBody {
  private chunks: Buffer[] | undefined = [];
  private bytes = 0;

  add(chunk: Buffer): void {
    if (!this.chunks) return;
    this.bytes += chunk.length;
    if (this.bytes > REPLAY_LIMIT) this.chunks = undefined;
    else this.chunks.push(chunk);
  }

  /** Whether everything received so far is kept. */
  complete(): boolean {
    return this.chunks !== undefined;
  }

  /** Writes what was kept to a fresh upstream request, and ends it if the body has ended. */
  writeTo(upstream: ClientRequest, ended: boolean): void {
    for (const chunk of this.chunks ?? []) upstream.write(chunk);
    if (ended) upstream.end();
  }
}
