import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import type { Flow, FlowResponse, Header } from '../../model/index.js';
import { initiatorFromHeaders } from '../../model/index.js';

export interface Target {
  scheme: 'http' | 'https';
  /** The name the client used (CONNECT target, SNI, Host); empty until known. */
  host: string;
  port: number;
  /** The address to connect to, when known from the socket (transparent mode). */
  connectTo?: string;
  /** The client's JA4 fingerprint, for connections we decrypted. */
  ja4?: string;
}

/**
 * Collects what the detector needs about one proxied request while it streams past: a bounded
 * copy of the body and the response head. The phone's traffic is never held back for it.
 */
export class FlowRecorder {
  private readonly chunks: Buffer[] = [];
  private copied = 0;
  private truncated = false;
  private response: FlowResponse | undefined;
  private serverIp: string | undefined;
  private readonly started = Date.now();
  /**
   * The client's address, read when the request starts: an HTTP/2 request can end after its
   * session closed (a page's sendBeacon), when the socket no longer says who sent it.
   */
  private readonly device: string;

  constructor(
    private readonly req: IncomingMessage | Http2ServerRequest,
    private readonly target: Target,
    private readonly maxInspectBytes: number,
  ) {
    this.device = req.socket?.remoteAddress?.replace(/^::ffff:/, '') ?? 'unknown';
  }

  body(chunk: Buffer): void {
    if (this.copied >= this.maxInspectBytes) {
      this.truncated = true;
      return;
    }
    const take = chunk.subarray(0, this.maxInspectBytes - this.copied);
    this.chunks.push(Buffer.from(take));
    this.copied += take.length;
    if (take.length < chunk.length) this.truncated = true;
  }

  responseHead(res: IncomingMessage): void {
    const response: FlowResponse = { status: res.statusCode ?? 0 };
    const type = res.headers['content-type'];
    if (type) response.mimeType = type;
    if (res.headers.location) response.location = res.headers.location;
    this.response = response;
    this.serverIp = res.socket?.remoteAddress;
  }

  /** The answer to a protocol upgrade (WebSocket), read off the raw upstream connection. */
  upgradeAnswer(status: number, serverIp: string | undefined): void {
    this.response = { status };
    this.serverIp = serverIp;
  }

  flow(id: string): Flow {
    const { scheme, host, port } = this.target;
    const defaultPort = scheme === 'https' ? 443 : 80;
    const authority = `${host.includes(':') ? `[${host}]` : host}${port === defaultPort ? '' : `:${port}`}`;
    const headers: Header[] = [];
    // HTTP/2 pseudo-headers (:method, :path …) are already in method and url.
    for (let i = 0; i + 1 < this.req.rawHeaders.length; i += 2) if (!this.req.rawHeaders[i]!.startsWith(':')) headers.push({ name: this.req.rawHeaders[i]!, value: this.req.rawHeaders[i + 1]! });
    const flow: Flow = {
      id,
      device: this.device,
      time: this.started,
      method: this.req.method ?? 'GET',
      url: `${scheme}://${authority}${originForm(this.req.url ?? '/')}`,
      httpVersion: `HTTP/${this.req.httpVersion}`,
      headers,
      body: Buffer.concat(this.chunks),
      destination: { host, port, ...(this.serverIp ? { ip: this.serverIp.replace(/^::ffff:/, '') } : {}) },
      source: 'proxy',
      initiator: initiatorFromHeaders(headers),
    };
    if (scheme === 'https') flow.tls = { decryption: 'intercepted', ...(this.target.ja4 ? { ja4: this.target.ja4 } : {}) };
    if (this.truncated) flow.bodyTruncated = true;
    if (this.response) flow.response = this.response;
    return flow;
  }
}

/** `http://host/path?q` (absolute form, plain HTTP through a proxy) → `/path?q`. */
export function originForm(url: string): string {
  if (url.startsWith('/')) return url;
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}
