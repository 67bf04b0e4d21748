import type { BytesCodec } from './codec.js';
import { NOT_MINE } from './codec.js';
import { isZlib } from './bytes.js';
import { decompress } from './compression.js';

/** zlib (RFC 1950) by its two-byte header, whose checksum rules out most other binaries. */
export const zlibCodec: BytesCodec = {
  name: 'zlib',
  sniff: (b) => (isZlib(b) ? 90 : NOT_MINE),
  decode: (b, { maxOutput }) => decompress('zlib', b, maxOutput),
};
