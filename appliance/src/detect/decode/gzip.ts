import type { BytesCodec } from './codec.js';
import { NOT_MINE } from './codec.js';
import { framedGzipOffset, isGzip } from './bytes.js';
import { decompress } from './compression.js';

/** gzip by its magic `1f 8b 08`. */
export const gzip: BytesCodec = {
  name: 'gzip',
  sniff: (b) => (isGzip(b) ? 100 : NOT_MINE),
  decode: (b, { maxOutput }) => decompress('gzip', b, maxOutput),
};

/**
 * gzip behind a short binary frame header (Alibaba UT puts 8 bytes of framing before its gzip).
 * The step reads `gzip:offset 8`, so evidence shows where the stream started. Below protobuf, whose
 * strict parse is the better reading when a message field happens to hold a gzip.
 */
export const framedGzip: BytesCodec = {
  name: 'gzip',
  sniff: (b) => (!isGzip(b) && framedGzipOffset(b) > 0 ? 45 : NOT_MINE),
  decode: (b, { maxOutput }) => {
    const offset = framedGzipOffset(b);
    const outcome = decompress('gzip', b.subarray(offset), maxOutput);
    if (!outcome.ok) return outcome;
    return { ...outcome, children: outcome.children.map((c) => ({ ...c, step: { codec: 'gzip', at: `offset ${offset}` } })) };
  },
};
