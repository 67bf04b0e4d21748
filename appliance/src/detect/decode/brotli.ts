import type { BytesCodec } from './codec.js';
import { NOT_MINE } from './codec.js';
import { decompressHeadless } from './headless.js';

/** Brotli: tried only on binaries that nothing more specific claimed (it has no magic). */
export const brotli: BytesCodec = {
  name: 'brotli',
  sniff: (b) => (b.length >= 8 ? 20 : NOT_MINE),
  decode: (b, { maxOutput }) => decompressHeadless('brotli', b, maxOutput),
};
