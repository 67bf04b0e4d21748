import { describe, expect, it } from 'vitest';
import { utf8Text } from '../../../../appliance/src/detect/decode/text.js';
import { URL, children, context, leaves } from './helpers.js';

describe('UTF-8 text', () => {
  it('turns readable bytes into a string with no step of its own', () => {
    expect(children(utf8Text.decode(Buffer.from(URL), context()))).toEqual([['', URL]]);
    expect(leaves({ data: Buffer.from(URL) })).toEqual([['', URL]]);
  });

  it('refuses invalid UTF-8', () => {
    expect(utf8Text.decode(Buffer.from([0xff, 0xfe, 0x41]), context())).toEqual({ ok: false, reason: 'invalid', detail: 'not UTF-8 text' });
  });
});
