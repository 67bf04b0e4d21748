import type { BytesCodec } from './codec.js';
import { NOT_MINE } from './codec.js';
import { plausibleDeflate } from './compression.js';
import { decompressHeadless } from './headless.js';

/** Raw deflate (RFC 1951): tried last among the decompressors, when the first block header is valid. */
export const deflate: BytesCodec = {
  name: 'deflate',
  sniff: (b) => (b.length >= 8 && plausibleDeflate(b) ? 10 : NOT_MINE),
  decode: (b, { maxOutput }) => decompressHeadless('deflate', b, maxOutput),
};
