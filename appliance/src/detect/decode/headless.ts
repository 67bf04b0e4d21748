import type { Outcome } from './codec.js';
import { fail } from './codec.js';
import { meaningful } from './meaningful.js';
import type { Compression } from './compression.js';
import { decompress } from './compression.js';

/**
 * Brotli and raw deflate have no magic, so almost any binary "starts" like them: a result counts
 * only when the whole stream decodes and the output is readable (text, a magic, protobuf).
 */
export function decompressHeadless(kind: Extract<Compression, 'brotli' | 'deflate'>, b: Uint8Array, maxOutput: number): Outcome {
  if (b.length < 8) return fail('invalid', `too short for ${kind}`);
  const outcome = decompress(kind, b, maxOutput);
  if (!outcome.ok) return outcome.reason === 'budget' ? outcome : fail('invalid', `not ${kind} data`);
  const child = outcome.children[0];
  if (outcome.problem || child?.kind !== 'bytes' || child.bytes.length === 0 || meaningful(child.bytes) === undefined) {
    return fail('invalid', `not ${kind} data`);
  }
  return outcome;
}
