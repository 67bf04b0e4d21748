import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { compareWords, decimalToWords, parseCidr, parseIp } from '../../../appliance/src/intel/ip.js';

describe('parseIp', () => {
  it.each([
    ['1.2.3.4', { v: 4, n: 0x01020304 }],
    ['255.255.255.255', { v: 4, n: 0xffffffff }],
    [' 8.8.8.8\n', { v: 4, n: 0x08080808 }],
    ['::', { v: 6, words: [0, 0, 0, 0] }],
    ['::1', { v: 6, words: [0, 0, 0, 1] }],
    ['2001:db8::', { v: 6, words: [0x20010db8, 0, 0, 0] }],
    ['2001:DB8:0:0:1:0:0:ff', { v: 6, words: [0x20010db8, 0, 0x10000, 0xff] }],
    ['[2a00:1450::200e]', { v: 6, words: [0x2a001450, 0, 0, 0x200e] }],
    ['fe80::1%eth0', { v: 6, words: [0xfe800000, 0, 0, 1] }],
    ['64:ff9b::1.2.3.4', { v: 6, words: [0x0064ff9b, 0, 0, 0x01020304] }],
    // IPv4-mapped IPv6 is the IPv4 address, in both spellings.
    ['::ffff:47.88.1.1', { v: 4, n: 0x2f580101 }],
    ['::ffff:2f58:101', { v: 4, n: 0x2f580101 }],
  ])('reads %j', (text, expected) => {
    expect(parseIp(text)).toEqual(expected);
  });

  it.each(['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.4 5', 'a.b.c.d', ':::', '1::2::3', '12345::', ':1::', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '::g', '1.2.3.4:', 'example.com'])(
    'rejects %j',
    (text) => {
      expect(parseIp(text)).toBeUndefined();
    },
  );

  it('agrees with node:net on which of 20,000 generated strings are addresses', () => {
    const alphabet = ['0', '1', '9', 'a', 'f', 'g', ':', '::', '.', '255', '256', 'ffff', '00', '12345'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const disagreements: string[] = [];
    for (let i = 0; i < 20000; i++) {
      let text = '';
      const length = 1 + (next() % 12);
      for (let j = 0; j < length; j++) text += alphabet[next() % alphabet.length];
      if ((parseIp(text) !== undefined) !== (isIP(text) !== 0)) disagreements.push(text);
    }
    expect(disagreements).toEqual([]);
  });
});

describe('parseCidr', () => {
  it.each([
    ['10.99.0.0/24', { v: 4, first: [0x0a630000], last: [0x0a6300ff], prefix: 24 }],
    ['10.99.0.77/24', { v: 4, first: [0x0a630000], last: [0x0a6300ff], prefix: 24 }],
    ['0.0.0.0/0', { v: 4, first: [0], last: [0xffffffff], prefix: 0 }],
    ['2001:db8::/32', { v: 6, first: [0x20010db8, 0, 0, 0], last: [0x20010db8, 0xffffffff, 0xffffffff, 0xffffffff], prefix: 32 }],
    ['fd00::1/128', { v: 6, first: [0xfd000000, 0, 0, 1], last: [0xfd000000, 0, 0, 1], prefix: 128 }],
  ])('reads %s', (text, expected) => {
    expect(parseCidr(text)).toEqual(expected);
  });

  it.each(['10.99.0.0/33', '10.99.0.0', '10.99.0.0/-1', 'fd00::/129', '::ffff:10.0.0.0/104', 'x/8'])('rejects %s', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});

describe('numbers', () => {
  it('splits a 128-bit decimal into big-endian words', () => {
    expect(decimalToWords('42540766411282592856903984951653826560')).toEqual([0x20010db8, 0, 0, 0]);
    expect(decimalToWords('340282366920938463463374607431768211455')).toEqual([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]);
  });

  it('compares word arrays most significant first', () => {
    expect([compareWords([1, 0], [0, 9]), compareWords([1, 2], [1, 2]), compareWords([1, 2], [1, 3])]).toEqual([1, 0, -1]);
  });
});
