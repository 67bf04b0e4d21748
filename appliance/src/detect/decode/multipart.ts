import type { BytesCodec, Child, Outcome } from './codec.js';
import { NOT_MINE, fail } from './codec.js';

/** The boundary from a multipart Content-Type, or sniffed from a body that starts with `--boundary\r\n`. */
export function multipartBoundary(body: Uint8Array, contentType: string | undefined): string | undefined {
  const declared = contentType && /multipart\/[\w-]+/i.test(contentType) ? /boundary="?([^";]+)"?/i.exec(contentType)?.[1] : undefined;
  if (declared) return declared;
  if (body[0] !== 0x2d || body[1] !== 0x2d) return undefined;
  const lineEnd = Buffer.from(body.subarray(0, 200)).indexOf('\r\n');
  if (lineEnd < 3) return undefined;
  const candidate = Buffer.from(body.subarray(2, lineEnd)).toString('latin1');
  return /^[\w'()+,./:=?-]{1,70}$/.test(candidate) ? candidate : undefined;
}

/** multipart/form-data → one bytes child per part, `multipart:<name>`. */
function decodeMultipart(body: Uint8Array, boundary: string): Outcome {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const children: Child[] = [];
  let pos = buf.indexOf(delimiter);
  let bytes = 0;
  while (pos >= 0) {
    const start = pos + delimiter.length;
    if (buf[start] === 0x2d && buf[start + 1] === 0x2d) break;
    const headerEnd = buf.indexOf('\r\n\r\n', start);
    if (headerEnd < 0) break;
    const next = buf.indexOf(delimiter, headerEnd + 4);
    const end = next >= 0 ? next - 2 : buf.length;
    const headers = buf.subarray(start, headerEnd).toString('utf8');
    const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? `part${children.length}`;
    const content = buf.subarray(headerEnd + 4, Math.max(headerEnd + 4, end));
    children.push({ kind: 'bytes', bytes: content, step: { codec: 'multipart', at: name } });
    bytes += content.length;
    pos = next;
  }
  return children.length > 0 ? { ok: true, children, bytes } : fail('invalid', 'no multipart parts');
}

/** `multipart:<name>`: boundary from the Content-Type, or sniffed from a body starting `--boundary\r\n`. */
export const multipart: BytesCodec = {
  name: 'multipart',
  sniff: (b, { contentType }) => (multipartBoundary(b, contentType) !== undefined ? 70 : NOT_MINE),
  decode: (b, { contentType }) => {
    const boundary = multipartBoundary(b, contentType);
    return boundary === undefined ? fail('invalid', 'no multipart boundary') : decodeMultipart(b, boundary);
  },
};
