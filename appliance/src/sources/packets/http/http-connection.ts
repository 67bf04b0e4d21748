import type { Flow, FlowResponse, Header } from '../../../model/index.js';
import { headerValue, initiatorFromHeaders } from '../../../model/index.js';
import type { ConnectionEnds } from '../connection-info.js';
import type { StreamSink } from '../tcp-stream.js';
import { HttpParseError } from './http-parse-error.js';
import { framingFromHeaders } from './message-head.js';
import type { BodyFraming, MessageHead } from './message-head.js';
import { MessageReader } from './message-reader.js';
import { requestTarget } from './request-target.js';

/** What an HTTP connection needs from the capture around it. */
export interface HttpContext {
  nextFlowId(): string;
  /** The name DNS gave an address, if the capture saw the answer. */
  nameOf(ip: string): string | undefined;
  maxBodyBytes: number;
  emit(flow: Flow): void;
  problem(reason: string): void;
}

interface Exchange {
  flow: Flow;
  bodyParts: Uint8Array[];
  bodyBytes: number;
  requestDone: boolean;
  responded: boolean;
}

const REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) (\S+) (HTTP\/1\.[01])$/;
const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/;
/** Responses kept while waiting for the request they answer (seen first when request packets were delayed). */
const MAX_EARLY_RESPONSES = 16;
/**
 * Complete requests held for their responses. A capture that saw only the client's direction
 * never pairs any: past this many, the oldest goes out without a response, so memory stays bounded.
 */
const MAX_WAITING_EXCHANGES = 32;

/**
 * One plain-HTTP connection: requests from the client stream, responses from the server stream,
 * paired in order (HTTP/1.1 answers in request order, pipelined or not). A flow is emitted once its
 * request is complete and its response head is seen, or when the connection ends. Anything that is
 * not HTTP stops the reading of that direction with one problem; flows already read stay.
 */
export class HttpConnection {
  readonly client: StreamSink;
  readonly server: StreamSink;
  private readonly exchanges: Exchange[] = [];
  private readonly earlyResponses: FlowResponse[] = [];
  private readonly requests: MessageReader;
  private readonly responses: MessageReader;
  private clientBroken = false;
  private serverBroken = false;
  /** Methods of requests whose responses are still to come, for HEAD (no body) and CONNECT. */
  private readonly awaitingMethods: string[] = [];

  constructor(
    private readonly ends: ConnectionEnds,
    private readonly context: HttpContext,
  ) {
    this.requests = new MessageReader({ head: (h, t) => this.requestHead(h, t), body: (b) => this.requestBody(b), end: () => this.requestEnd() });
    this.responses = new MessageReader({ head: (h) => this.responseHead(h), body: () => {}, end: () => {} });
    this.client = {
      data: (bytes, time) => this.feed('client', bytes, time),
      gap: (lost) => this.fail('client', `${lost} bytes of the request stream are missing from the capture`),
    };
    this.server = {
      data: (bytes, time) => this.feed('server', bytes, time),
      gap: (lost) => this.fail('server', `${lost} bytes of the response stream are missing from the capture; responses after them are not paired`),
    };
  }

  /** The connection is over: emit every request read, complete or cut short. */
  close(): void {
    if (!this.clientBroken && this.requests.close()) {
      const last = this.exchanges[this.exchanges.length - 1];
      if (last && !last.requestDone) {
        last.flow.bodyTruncated = true;
        last.requestDone = true;
      }
    }
    if (!this.serverBroken) this.responses.close();
    for (const exchange of this.exchanges.splice(0)) this.context.emit(finish(exchange));
  }

  private feed(side: 'client' | 'server', bytes: Uint8Array, time: number): void {
    if (side === 'client' ? this.clientBroken : this.serverBroken) return;
    try {
      (side === 'client' ? this.requests : this.responses).push(bytes, time);
    } catch (error) {
      if (!(error instanceof HttpParseError)) throw error;
      this.fail(side, `${side === 'client' ? 'request' : 'response'} is not valid HTTP/1.x: ${error.message}`);
    }
    this.emitReady();
  }

  private fail(side: 'client' | 'server', reason: string): void {
    if (side === 'client') {
      if (this.clientBroken) return;
      this.clientBroken = true;
      // A request cut by the fault is kept as far as it was read.
      const last = this.exchanges[this.exchanges.length - 1];
      if (last && !last.requestDone) {
        last.flow.bodyTruncated = true;
        last.requestDone = true;
      }
    } else {
      if (this.serverBroken) return;
      this.serverBroken = true;
    }
    this.context.problem(`${reason}; the rest of this ${side === 'client' ? 'connection' : 'response stream'} was skipped`);
    this.emitReady();
  }

  private requestHead(head: MessageHead, time: number): BodyFraming {
    const m = REQUEST_LINE.exec(head.startLine);
    if (!m) throw new HttpParseError(`not a request line: ${JSON.stringify(head.startLine.slice(0, 60))}`);
    const [, method, target, httpVersion] = m as unknown as [string, string, string, string];
    const { ends, context } = this;
    const { url, host } = requestTarget(target, headerValue(head.headers, 'host'), context.nameOf(ends.serverIp) ?? ends.serverIp, ends.serverPort);
    const flow: Flow = {
      id: context.nextFlowId(),
      device: ends.clientIp,
      time: Math.floor(time),
      method,
      url,
      httpVersion,
      headers: head.headers,
      body: new Uint8Array(),
      destination: { host, ip: ends.serverIp, port: ends.serverPort },
      source: 'pcap',
      initiator: initiatorFromHeaders(head.headers),
    };
    const exchange: Exchange = { flow, bodyParts: [], bodyBytes: 0, requestDone: false, responded: false };
    this.exchanges.push(exchange);
    this.awaitingMethods.push(method.toUpperCase());
    const early = this.earlyResponses.shift();
    if (early) respond(exchange, early);
    return framingFromHeaders(head.headers, { type: 'none' });
  }

  private requestBody(bytes: Uint8Array): void {
    const exchange = this.exchanges[this.exchanges.length - 1]!;
    const room = this.context.maxBodyBytes - exchange.bodyBytes;
    if (bytes.length > room) exchange.flow.bodyTruncated = true;
    if (room <= 0) return;
    // Copied: the bytes may be a view of a large read buffer.
    const kept = new Uint8Array(bytes.length > room ? bytes.subarray(0, room) : bytes);
    exchange.bodyParts.push(kept);
    exchange.bodyBytes += kept.length;
  }

  private requestEnd(): void {
    this.exchanges[this.exchanges.length - 1]!.requestDone = true;
  }

  private responseHead(head: MessageHead): BodyFraming {
    const m = STATUS_LINE.exec(head.startLine);
    if (!m) throw new HttpParseError(`not a status line: ${JSON.stringify(head.startLine.slice(0, 60))}`);
    const status = Number(m[1]);
    // Interim responses (100 Continue, 103 Early Hints) precede the real one.
    if (status >= 100 && status < 200 && status !== 101) return { type: 'none' };
    const method = this.awaitingMethods.shift();
    const response = responseOf(status, head.headers);
    const waiting = this.exchanges.find((e) => !e.responded);
    if (waiting) respond(waiting, response);
    else if (this.earlyResponses.length < MAX_EARLY_RESPONSES) this.earlyResponses.push(response);
    if (status === 101 || (method === 'CONNECT' && status < 300)) {
      // The connection now carries another protocol (WebSocket, a tunnel): HTTP parsing ends here.
      this.clientBroken = true;
      this.serverBroken = true;
      return { type: 'none' };
    }
    if (method === 'HEAD' || status === 204 || status === 304) return { type: 'none' };
    return framingFromHeaders(head.headers, { type: 'until-close' });
  }

  private emitReady(): void {
    while (this.exchanges.length > 0) {
      const first = this.exchanges[0]!;
      const ready = first.requestDone && (first.responded || this.serverBroken || this.exchanges.length > MAX_WAITING_EXCHANGES);
      if (!ready) return;
      this.exchanges.shift();
      this.context.emit(finish(first));
    }
  }
}

function responseOf(status: number, headers: readonly Header[]): FlowResponse {
  const response: FlowResponse = { status };
  const type = headerValue(headers, 'content-type');
  const location = headerValue(headers, 'location');
  if (type !== undefined) response.mimeType = type;
  if (location !== undefined) response.location = location;
  return response;
}

function respond(exchange: Exchange, response: FlowResponse): void {
  exchange.flow.response = response;
  exchange.responded = true;
}

function finish(exchange: Exchange): Flow {
  const { flow, bodyParts } = exchange;
  flow.body = bodyParts.length === 1 ? bodyParts[0]! : Buffer.concat(bodyParts);
  return flow;
}
