import type { Codec, CodecContext, Outcome } from './codec.js';
import { fail } from './codec.js';
import { base64 } from './base64.js';
import { brotli } from './brotli.js';
import { deflate } from './deflate.js';
import { form } from './form.js';
import { framedGzip, gzip } from './gzip.js';
import { hex } from './hex.js';
import { json } from './json.js';
import { jwt } from './jwt.js';
import { multipart } from './multipart.js';
import { percent } from './percent.js';
import { protobuf } from './protobuf.js';
import { strings } from './strings.js';
import { utf8Text } from './text.js';
import { urlQuery } from './url-query.js';
import { zlibCodec } from './zlib.js';
import { zstd } from './zstd.js';

/** Codecs for strings. Order only breaks ties; each codec's sniff priority decides. */
export const TEXT_CODECS: readonly Codec<string>[] = [form, json, jwt, urlQuery, percent, hex, base64];

/** Codecs for binaries: magic-bearing formats, then text, protobuf, headless decompressors, strings. */
export const BYTES_CODECS: readonly Codec<Uint8Array>[] = [gzip, zstd, zlibCodec, framedGzip, multipart, utf8Text, protobuf, brotli, deflate, strings];

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The codecs that claim a value, most specific first. A sniff that throws counts as "not mine". */
export function candidates<T>(codecs: readonly Codec<T>[], value: T, context: CodecContext): Codec<T>[] {
  const claimed: { codec: Codec<T>; priority: number }[] = [];
  for (const codec of codecs) {
    let priority: number;
    try {
      priority = codec.sniff(value, context);
    } catch {
      continue;
    }
    if (priority >= 0) claimed.push({ codec, priority });
  }
  if (claimed.length > 1) claimed.sort((a, b) => b.priority - a.priority);
  return claimed.map((c) => c.codec);
}

/** Runs one codec; a codec bug becomes an 'invalid' outcome instead of ending the walk. */
export function safeDecode<T>(codec: Codec<T>, value: T, context: CodecContext): Outcome {
  try {
    return codec.decode(value, context);
  } catch (error) {
    return fail('invalid', `${codec.name} decoder failed: ${message(error)}`);
  }
}
