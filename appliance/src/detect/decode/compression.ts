import * as zlib from 'node:zlib';
import { Decompress as ZstdStream } from 'fzstd';
import type { Outcome } from './codec.js';
import { fail } from './codec.js';
import { zstdWindowSize } from './zstd-frame.js';

/**
 * Capped decompression. Every call is bounded by `maxOutput`: a 421-byte brotli bomb expands to
 * 256 MiB (STACK-NOTES), so nothing here runs without a cap. A truncated stream yields what
 * decoded before the cut, with a 'truncated' problem.
 */
export type Compression = 'gzip' | 'zlib' | 'deflate' | 'brotli' | 'zstd';

type SyncInflate = (buf: Uint8Array, options: zlib.ZlibOptions & zlib.BrotliOptions) => Buffer;

const inflaters: Record<Exclude<Compression, 'zstd'>, { run: SyncInflate; sync: number }> = {
  gzip: { run: zlib.gunzipSync, sync: zlib.constants.Z_SYNC_FLUSH },
  zlib: { run: zlib.inflateSync, sync: zlib.constants.Z_SYNC_FLUSH },
  deflate: { run: zlib.inflateRawSync, sync: zlib.constants.Z_SYNC_FLUSH },
  brotli: { run: zlib.brotliDecompressSync, sync: zlib.constants.BROTLI_OPERATION_FLUSH },
};

function isTooLarge(error: unknown): boolean {
  return (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError;
}

/**
 * Most attempts on random bytes fail, and a failing zlib call builds an Error with a stack trace
 * that costs more than the attempt itself; without the trace a failure is cheap. Synchronous, and
 * restored before returning.
 */
function withoutStackTraces<T>(run: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return run();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Raw deflate's first block header: type 3 is invalid, and a stored block carries LEN and its complement. */
export function plausibleDeflate(b: Uint8Array): boolean {
  if (b.length < 2) return false;
  const type = (b[0]! >> 1) & 3;
  if (type === 3) return false;
  if (type === 0) return b.length >= 5 && (b[1]! ^ b[3]!) === 0xff && (b[2]! ^ b[4]!) === 0xff;
  return true;
}

export function decompress(kind: Compression, input: Uint8Array, maxOutput: number): Outcome {
  if (kind === 'deflate' && !plausibleDeflate(input)) return fail('invalid', 'not deflate data');
  return withoutStackTraces(() => (kind === 'zstd' ? decompressZstd(input, maxOutput) : inflate(kind, input, maxOutput)));
}

function inflate(kind: Exclude<Compression, 'zstd'>, input: Uint8Array, maxOutput: number): Outcome {
  const { run, sync } = inflaters[kind];
  const label = { codec: kind };
  try {
    const out = run(input, { maxOutputLength: maxOutput });
    return { ok: true, children: [{ kind: 'bytes', bytes: out, step: label }], bytes: out.length };
  } catch (error) {
    if (isTooLarge(error)) return fail('budget', `${kind} output over ${maxOutput} bytes`);
  }
  // Malformed or truncated: take what decodes before the fault.
  try {
    const out = run(input, { finishFlush: sync, maxOutputLength: maxOutput });
    if (out.length === 0) return fail('invalid', `not ${kind} data`);
    return { ok: true, children: [{ kind: 'bytes', bytes: out, step: label }], bytes: out.length, problem: { reason: 'truncated', detail: `${kind} stream ends early; ${out.length} bytes recovered` } };
  } catch (error) {
    return isTooLarge(error) ? fail('budget', `${kind} output over ${maxOutput} bytes`) : fail('invalid', `not ${kind} data`);
  }
}

class OverCap extends Error {}

/**
 * zstd: Node's own decoder when it has one (≥ 22.15), else fzstd in streaming mode with a byte
 * counter, because fzstd's one-shot API allocates whatever the frame header claims. Either way a
 * frame whose declared window is over the cap is refused first: decoders allocate the window.
 */
function decompressZstd(input: Uint8Array, maxOutput: number): Outcome {
  const window = zstdWindowSize(input);
  if (window !== undefined && window > maxOutput) return fail('budget', `zstd frame asks for a ${window}-byte window, over the ${maxOutput}-byte step budget`);
  const native = (zlib as unknown as { zstdDecompressSync?: SyncInflate }).zstdDecompressSync;
  if (native) {
    try {
      const out = native(input, { maxOutputLength: maxOutput });
      return { ok: true, children: [{ kind: 'bytes', bytes: out, step: { codec: 'zstd' } }], bytes: out.length };
    } catch (error) {
      return isTooLarge(error) ? fail('budget', `zstd output over ${maxOutput} bytes`) : fail('invalid', 'not zstd data');
    }
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const stream = new ZstdStream((chunk) => {
    total += chunk.length;
    if (total > maxOutput) throw new OverCap();
    chunks.push(chunk);
  });
  try {
    stream.push(input, true);
  } catch (error) {
    if (error instanceof OverCap) return fail('budget', `zstd output over ${maxOutput} bytes`);
    if (total === 0) return fail('invalid', 'not zstd data');
    const out = Buffer.concat(chunks);
    return { ok: true, children: [{ kind: 'bytes', bytes: out, step: { codec: 'zstd' } }], bytes: out.length, problem: { reason: 'truncated', detail: `zstd stream ends early; ${out.length} bytes recovered` } };
  }
  const out = Buffer.concat(chunks);
  return { ok: true, children: [{ kind: 'bytes', bytes: out, step: { codec: 'zstd' } }], bytes: out.length };
}

/** Content-Encoding tokens, applied in reverse order of listing (RFC 9110 §8.4). */
export function contentCodings(header: string): Compression[] | undefined {
  const tokens = header.split(',').map((t) => t.trim().toLowerCase()).filter((t) => t !== '' && t !== 'identity');
  const map: Record<string, Compression> = { gzip: 'gzip', 'x-gzip': 'gzip', deflate: 'zlib', br: 'brotli', zstd: 'zstd' };
  const out: Compression[] = [];
  for (const t of tokens.reverse()) {
    const c = map[t];
    if (!c) return undefined;
    out.push(c);
  }
  return out;
}
