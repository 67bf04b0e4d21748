import type { DecodeStep } from '../../model/index.js';
import type { DecodeProblem } from './types.js';
import { contentCodings, decompress } from './compression.js';
import type { Compression } from './compression.js';

export interface ContentDecoded {
  bytes: Uint8Array;
  /** One `content-encoding:<token>` step per coding undone. */
  steps: DecodeStep[];
  produced: number;
  problem?: DecodeProblem;
  /**
   * The coding that ran past the output budget on the body as sent: the walk must not undo it
   * again on the same bytes (a 1 GiB gzip bomb would cost its 4 MiB of output twice).
   */
  overBudget?: Compression;
}

const TOKEN_LABEL = { gzip: 'gzip', zlib: 'deflate', brotli: 'br', zstd: 'zstd', deflate: 'deflate' } as const;

/**
 * Undoes a body's declared Content-Encoding (codings in reverse order of listing, RFC 9110 §8.4).
 * When that fails the body is read as it was sent: HAR tools often store the already-decoded text
 * with the header left in place, so a failure is a note, not an error.
 */
export function undoContentEncoding(body: Uint8Array, header: string, root: readonly DecodeStep[], maxOutput: number): ContentDecoded {
  const codings = contentCodings(header);
  if (!codings || codings.length === 0) return { bytes: body, steps: [], produced: 0 };
  let current = body;
  let produced = 0;
  const steps: DecodeStep[] = [];
  for (const coding of codings) {
    const outcome = decompress(coding, current, maxOutput - produced);
    const child = outcome.ok ? outcome.children[0] : undefined;
    if (!outcome.ok || child?.kind !== 'bytes') {
      const reason = outcome.ok ? 'invalid' : outcome.reason;
      const problem: DecodeProblem = { steps: [...root], codec: 'content-encoding', reason, detail: `Content-Encoding ${header} did not decode; read as sent` };
      return reason === 'budget' && current === body ? { bytes: body, steps: [], produced: 0, problem, overBudget: coding } : { bytes: body, steps: [], produced: 0, problem };
    }
    current = child.bytes;
    produced += current.length;
    steps.push({ codec: 'content-encoding', at: TOKEN_LABEL[coding] });
  }
  return { bytes: current, steps, produced };
}
