import type { DecodeStep } from '../../model/index.js';
import type { Outcome } from './codec.js';
import { fail } from './codec.js';
import { asText, looksRandom } from './bytes.js';
import { decompressHeadless } from './headless.js';
import { meaningful } from './meaningful.js';

/**
 * The shared second half of base64 and hex: bytes decoded from a text are taken when they are
 * readable, compressed or protobuf. Otherwise the text stays a leaf (it may be a hash the matcher
 * compares), and random-looking bytes are handed back as opaque.
 */
export function bytesFromText(bytes: Uint8Array, step: DecodeStep, options: { headless: boolean; reportOpaque: boolean; maxOutput: number }): Outcome {
  const kind = meaningful(bytes);
  if (kind === 'text') return { ok: true, children: [{ kind: 'text', text: asText(bytes)!, step }], bytes: bytes.length };
  if (kind === 'binary') return { ok: true, children: [{ kind: 'bytes', bytes, step }], bytes: bytes.length };
  // SDKs wrap brotli or raw deflate in base64 with no magic to tell; the bytes node tries them again.
  if (options.headless && bytes.length >= 16) {
    for (const kind of ['brotli', 'deflate'] as const) {
      const outcome = decompressHeadless(kind, bytes, options.maxOutput);
      if (outcome.ok) return { ok: true, children: [{ kind: 'bytes', bytes, step }], bytes: bytes.length };
      // A bomb: too big to read, and its bytes must not be walked as anything else.
      if (outcome.reason === 'budget') return outcome;
    }
  }
  const detail = 'decodes to unreadable bytes';
  return options.reportOpaque && looksRandom(bytes) ? { ok: false, reason: 'invalid', detail, opaque: bytes } : fail('invalid', detail);
}
