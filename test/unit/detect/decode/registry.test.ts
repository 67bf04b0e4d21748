import { describe, expect, it } from 'vitest';
import type { Codec } from '../../../../appliance/src/detect/decode/codec.js';
import { BYTES_CODECS, TEXT_CODECS, candidates, safeDecode } from '../../../../appliance/src/detect/decode/registry.js';
import { context } from './helpers.js';

const codec = (name: string, priority: number, behaviour: () => never | number = () => priority): Codec<string> => ({
  name,
  sniff: behaviour,
  decode: () => {
    throw new Error(`${name} broke`);
  },
});

describe('codec registry', () => {
  it('orders the codecs that claim a value by priority and leaves out the rest', () => {
    const list = [codec('low', 1), codec('no', -1), codec('high', 9)];
    expect(candidates(list, 'x', context()).map((c) => c.name)).toEqual(['high', 'low']);
  });

  it('treats a sniff that throws as "not mine"', () => {
    const list = [codec('throws', 5, () => { throw new Error('sniff broke'); }), codec('ok', 1)];
    expect(candidates(list, 'x', context()).map((c) => c.name)).toEqual(['ok']);
  });

  it('turns a decoder that throws into an invalid outcome naming it', () => {
    expect(safeDecode(codec('broken', 1), 'x', context())).toEqual({ ok: false, reason: 'invalid', detail: 'broken decoder failed: broken broke' });
  });

  it('names each codec by its step label', () => {
    expect([TEXT_CODECS.map((c) => c.name), BYTES_CODECS.map((c) => c.name)]).toEqual([
      ['form', 'json', 'jwt', 'query', 'percent', 'hex', 'base64'],
      ['gzip', 'zstd', 'zlib', 'gzip', 'multipart', 'text', 'protobuf', 'brotli', 'deflate', 'strings'],
    ]);
  });
});
