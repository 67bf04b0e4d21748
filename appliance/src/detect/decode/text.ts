import type { BytesCodec } from './codec.js';
import { fail } from './codec.js';
import { asText } from './bytes.js';

/**
 * Bytes that are valid, (almost) control-free UTF-8 are a string: no step is recorded, because
 * nothing was undone. Checked after the magic-bearing formats and before protobuf.
 */
export const utf8Text: BytesCodec = {
  name: 'text',
  sniff: () => 60,
  decode: (b) => {
    const text = asText(b);
    return text === undefined ? fail('invalid', 'not UTF-8 text') : { ok: true, children: [{ kind: 'text', text }], bytes: 0 };
  },
};
