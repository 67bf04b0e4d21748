import type { Header } from '../../../model/index.js';
import { headerValue } from '../../../model/index.js';
import { HttpParseError } from './http-parse-error.js';

/** A start line and its header fields, as sent. */
export interface MessageHead {
  startLine: string;
  headers: Header[];
}

/** How the body after a head is delimited (RFC 9112 §6). */
export type BodyFraming = { type: 'none' } | { type: 'length'; length: number } | { type: 'chunked' } | { type: 'until-close' };

const HEADER_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)[ \t]*:[ \t]*(.*?)[ \t]*$/;

/** Parses a head (without its final blank line). Header bytes are read as Latin-1, as HTTP/1.1 defines them. */
export function parseHead(bytes: Uint8Array): MessageHead {
  const lines = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1').split(/\r?\n/);
  const startLine = lines[0]!;
  const headers: Header[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if ((line.startsWith(' ') || line.startsWith('\t')) && headers.length > 0) {
      // Obsolete line folding: a continuation of the previous field.
      headers[headers.length - 1]!.value += ` ${line.trim()}`;
      continue;
    }
    const m = HEADER_LINE.exec(line);
    if (!m) throw new HttpParseError(`malformed header line ${JSON.stringify(line.slice(0, 60))}`);
    headers.push({ name: m[1]!, value: m[2]! });
  }
  return { startLine, headers };
}

/** Body framing from Transfer-Encoding and Content-Length; `fallback` when neither is present. */
export function framingFromHeaders(headers: readonly Header[], fallback: BodyFraming): BodyFraming {
  const transfer = headerValue(headers, 'transfer-encoding');
  if (transfer !== undefined) {
    const codings = transfer.toLowerCase().split(',').map((c) => c.trim());
    // Chunked must be the last coding; any other final coding means "read until close" (RFC 9112 §6.3).
    return codings[codings.length - 1] === 'chunked' ? { type: 'chunked' } : { type: 'until-close' };
  }
  const length = headerValue(headers, 'content-length');
  if (length === undefined) return fallback;
  // Repeated identical values ("12, 12") are allowed; anything else is a framing error.
  const values = new Set(length.split(',').map((v) => v.trim()));
  const only = values.size === 1 ? [...values][0]! : '';
  if (!/^\d{1,15}$/.test(only)) throw new HttpParseError(`invalid Content-Length ${JSON.stringify(length.slice(0, 40))}`);
  const n = Number(only);
  return n === 0 ? { type: 'none' } : { type: 'length', length: n };
}
