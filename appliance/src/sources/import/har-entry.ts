import { basename } from 'node:path';
import type { Flow, FlowResponse, Header } from '../../model/index.js';
import { headerValue, initiatorFromHeaders } from '../../model/index.js';

/** The parts of a HAR 1.2 entry leakwatch reads (plus the `_` extensions some tools add). */
interface HarEntry {
  startedDateTime?: unknown;
  serverIPAddress?: unknown;
  _resourceType?: unknown;
  _clientAddress?: unknown;
  _clientIPAddress?: unknown;
  _client_ip?: unknown;
  request?: {
    method?: unknown;
    url?: unknown;
    httpVersion?: unknown;
    headers?: unknown;
    postData?: { mimeType?: unknown; text?: unknown; encoding?: unknown; _encoding?: unknown; params?: unknown };
  };
  response?: { status?: unknown; redirectURL?: unknown; headers?: unknown; content?: { mimeType?: unknown } };
}

export interface EntryContext {
  file: string;
  fileIndex: number;
  index: number;
  device: string | undefined;
  maxBodyBytes: number;
}

/** A skipped entry: why, in words a person can act on. */
export class EntryProblem extends Error {}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const nonEmpty = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function headersOf(value: unknown): Header[] {
  if (!Array.isArray(value)) return [];
  const out: Header[] = [];
  for (const h of value) {
    const name = str((h as { name?: unknown })?.name);
    const v = (h as { value?: unknown })?.value;
    if (name !== undefined && (typeof v === 'string' || typeof v === 'number')) out.push({ name, value: String(v) });
  }
  return out;
}

function bodyOf(entry: HarEntry, headers: Header[]): Uint8Array {
  const post = entry.request?.postData;
  if (!post) return new Uint8Array();
  const text = str(post.text);
  // Some tools write both `text` and `params`, some leave `text` empty beside `params`.
  if (text !== undefined && (text !== '' || !Array.isArray(post.params))) {
    const encoding = str(post.encoding) ?? str(post._encoding);
    if (encoding === 'base64') return Buffer.from(text, 'base64');
    return Buffer.from(text, looksLikeLatin1Binary(text) ? 'latin1' : 'utf8');
  }
  if (Array.isArray(post.params)) {
    const pairs = post.params.map((p: { name?: unknown; value?: unknown }) => `${encodeURIComponent(String(p?.name ?? ''))}=${encodeURIComponent(String(p?.value ?? ''))}`);
    if (!headerValue(headers, 'content-type')) headers.push({ name: 'Content-Type', value: 'application/x-www-form-urlencoded' });
    return Buffer.from(pairs.join('&'), 'utf8');
  }
  return new Uint8Array();
}

/**
 * Some tools store a binary body byte-for-byte as characters U+0000–U+00FF. Such text has control
 * characters or C1 codes (U+0080–U+009F) that real text never has; read it back as Latin-1 bytes,
 * or a gzip body would be mangled by UTF-8 encoding.
 */
function looksLikeLatin1Binary(text: string): boolean {
  let binary = false;
  for (let i = 0; i < text.length && i < 4096; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) return false;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || (c >= 0x80 && c <= 0x9f)) binary = true;
  }
  return binary;
}

function responseOf(entry: HarEntry): FlowResponse | undefined {
  const r = entry.response;
  if (!r || typeof r.status !== 'number' || r.status <= 0) return undefined;
  const response: FlowResponse = { status: r.status };
  const mimeType = str(r.content?.mimeType) ?? headerValue(headersOf(r.headers), 'content-type');
  if (mimeType) response.mimeType = mimeType;
  const location = str(r.redirectURL) || headerValue(headersOf(r.headers), 'location');
  if (location) response.location = location;
  return response;
}

/** One HAR entry as a Flow. Throws EntryProblem for an entry that cannot be one. */
export function entryToFlow(raw: unknown, ctx: EntryContext): Flow {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new EntryProblem('is not an object');
  const entry = raw as HarEntry;
  const url = str(entry.request?.url);
  if (!url) throw new EntryProblem('request.url is missing');
  const method = str(entry.request?.method);
  if (!method) throw new EntryProblem('request.method is missing');
  const time = Date.parse(str(entry.startedDateTime) ?? '');
  if (Number.isNaN(time)) throw new EntryProblem(`startedDateTime ${JSON.stringify(entry.startedDateTime)} is not a date`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new EntryProblem(`request.url ${JSON.stringify(url.slice(0, 100))} is not a URL`);
  }
  const headers = headersOf(entry.request?.headers);
  const mimeType = str(entry.request?.postData?.mimeType);
  let body = bodyOf(entry, headers);
  if (mimeType && !headerValue(headers, 'content-type')) headers.push({ name: 'Content-Type', value: mimeType });
  let bodyTruncated = false;
  if (body.length > ctx.maxBodyBytes) {
    // A copy, so the full-size body is not kept alive behind the prefix.
    body = Buffer.from(body.subarray(0, ctx.maxBodyBytes));
    bodyTruncated = true;
  }
  const ip = str(entry.serverIPAddress)?.replace(/^\[|\]$/g, '');
  const port = Number(parsed.port) || (parsed.protocol === 'https:' || parsed.protocol === 'wss:' ? 443 : 80);
  const flow: Flow = {
    id: `har:${ctx.fileIndex}:${ctx.index}`,
    device: nonEmpty(entry._clientAddress) ?? nonEmpty(entry._clientIPAddress) ?? nonEmpty(entry._client_ip) ?? ctx.device ?? `file:${basename(ctx.file)}`,
    time,
    method,
    url,
    headers,
    body,
    destination: { host: parsed.hostname.replace(/^\[|\]$/g, ''), port, ...(ip ? { ip } : {}) },
    source: 'har',
    initiator: initiatorFromHeaders(headers, str(entry._resourceType)),
  };
  const httpVersion = str(entry.request?.httpVersion);
  if (httpVersion) flow.httpVersion = httpVersion;
  if (bodyTruncated) flow.bodyTruncated = true;
  const response = responseOf(entry);
  if (response) flow.response = response;
  return flow;
}
