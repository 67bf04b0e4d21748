import type { BytesCodec } from './codec.js';
import { NOT_MINE } from './codec.js';
import { isZstd } from './bytes.js';
import { decompress } from './compression.js';

/** zstd by its frame magic `28 b5 2f fd`. */
export const zstd: BytesCodec = {
  name: 'zstd',
  sniff: (b) => (isZstd(b) ? 100 : NOT_MINE),
  decode: (b, { maxOutput }) => decompress('zstd', b, maxOutput),
};
