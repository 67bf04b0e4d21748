import type { Agent as HttpAgent, IncomingMessage, ServerResponse } from 'node:http';
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
  /** Called once the request has ended and the response head (or an error) came back. */
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
  const settle = () => {
    if (done || !requestDone || !responseSeen) return;
    done = true;
    options.recorded(recorder);
  };
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !HOP_BY_HOP.has(name) && !name.startsWith(':')) headers[name] = value;
  // HTTP/2 names the host in :authority; an HTTP/1.1 upstream wants a Host header.
  if (!headers.host && req.headers[':authority']) headers.host = String(req.headers[':authority']);
  const send = target.scheme === 'https' ? httpsRequest : httpRequest;
  const upstream = send({
    host: target.connectTo ?? target.host,
    port: target.port,
    method: req.method,
    path: originForm(req.url ?? '/'),
    headers,
    agent: options.agent,
    ...(target.scheme === 'https' && !isIP(target.host) ? { servername: target.host } : {}),
  });
  upstream.on('response', (up) => {
    recorder.responseHead(up);
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(up.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
    if (req.httpVersionMajor === 2) (res as Http2ServerResponse).writeHead(up.statusCode ?? 502, out);
    else (res as ServerResponse).writeHead(up.statusCode ?? 502, up.statusMessage, out);
    up.pipe(res);
    responseSeen = true;
    settle();
  });
  upstream.on('error', (error: NodeJS.ErrnoException) => {
    // A bad upstream certificate is shown to the phone, never hidden by a working-looking answer.
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' }).end(`leakwatch: could not reach ${target.host}:${target.port}: ${error.code ?? ''} ${error.message}\n`);
    } else {
      res.destroy(error);
    }
    responseSeen = true;
    settle();
  });
  req.on('data', (chunk: Buffer) => recorder.body(chunk));
  req.on('end', () => {
    requestDone = true;
    settle();
  });
  req.pipe(upstream);
}
