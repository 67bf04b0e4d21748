import { randomBytes } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decode } from '../../../../appliance/src/detect/decode/index.js';
import { DEFAULT_DECODE_BUDGET } from '../../../../appliance/src/detect/decode/types.js';
import { formatPath } from '../../../../appliance/src/model/index.js';
import { zstdBomb } from '../../../fixtures/bombs.js';

const MiB = 1024 * 1024;
const reasons = (r: ReturnType<typeof decode>) => r.problems.map((p) => `${p.codec}:${p.reason}`);

describe('hostile input', () => {
  it('stops a 1 GiB gzip bomb at the output cap', () => {
    const member = gzipSync(Buffer.alloc(64 * MiB));
    const bomb = Buffer.concat(Array.from({ length: 16 }, () => member));
    expect(bomb.length).toBeLessThan(2 * MiB);
    const r = decode({ data: bomb });
    expect(reasons(r)).toContain('gzip:budget');
    expect(r.bytesProduced).toBeLessThanOrEqual(DEFAULT_DECODE_BUDGET.maxTotalBytes);
  });

  it('stops a 256 MiB brotli bomb inside base64 at the output cap, keeping the base64 as a leaf', () => {
    const bomb = brotliCompressSync(Buffer.alloc(256 * MiB), { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
    const r = decode({ data: JSON.stringify({ z: bomb.toString('base64') }) });
    expect(r.leaves.map((l) => l.text)).toEqual([bomb.toString('base64')]);
    expect(reasons(r)).toEqual(['base64:budget']);
    expect(r.bytesProduced).toBeLessThanOrEqual(DEFAULT_DECODE_BUDGET.maxTotalBytes);
  });

  it('stops a 256 MiB brotli bomb sent as a declared Content-Encoding', () => {
    const bomb = brotliCompressSync(Buffer.alloc(256 * MiB), { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
    const r = decode({ data: bomb, contentEncoding: 'br' });
    // Once: the walk does not run the same brotli over the same bytes again.
    expect(reasons(r)).toEqual(['content-encoding:budget']);
    expect([r.leaves, r.exhausted]).toEqual([[], true]);
  });

  it('stops a 1 GiB zstd bomb at the output cap', () => {
    const bomb = zstdBomb(8192);
    expect(bomb.length).toBeLessThan(40_000);
    const r = decode({ data: bomb });
    expect(reasons(r)).toContain('zstd:budget');
    expect(r.bytesProduced).toBeLessThanOrEqual(DEFAULT_DECODE_BUDGET.maxTotalBytes);
  });

  it('refuses a 12-byte zstd frame that asks for a 64 MiB window before allocating it', () => {
    const frame = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x80, (3 << 3) | 1, 0, 0, 0x61, 0x62, 0x63]);
    const r = decode({ data: frame });
    expect(r.problems.map((p) => p.detail)).toEqual([`zstd frame asks for a 67108864-byte window, over the ${DEFAULT_DECODE_BUDGET.maxStepOutput}-byte step budget`]);
  });

  it('reads a small zstd frame', () => {
    const text = Buffer.from('{"u":"https://zstd.example/page"}');
    const frame = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x20, text.length]), Buffer.from([((text.length << 3) | 1) & 0xff, (text.length << 3) >> 8, 0]), text]);
    expect(decode({ data: frame }).leaves.map((l) => l.text)).toEqual(['https://zstd.example/page']);
  });

  it('stops base64 of gzip nested 200 deep at the depth budget', () => {
    let s = 'https://deep.example/';
    // Plain base64 of base64 grows by 4/3 a level; with gzip in between, 200 levels stay near 14 KB.
    for (let i = 0; i < 200; i++) s = gzipSync(s).toString('base64');
    const r = decode({ data: s });
    expect(reasons(r)).toEqual(['walk:depth']);
    expect(r.leaves.map((l) => l.steps.length)).toEqual([DEFAULT_DECODE_BUDGET.maxDepth]);
  });

  it('stops plain base64 nested 40 deep at the depth budget', () => {
    let s = 'https://deep.example/';
    for (let i = 0; i < 40; i++) s = Buffer.from(s).toString('base64');
    const r = decode({ data: s });
    expect(reasons(r)).toEqual(['walk:depth']);
    expect(r.leaves).toHaveLength(1);
  });

  it('walks JSON nested 20,000 deep, and stops at the value budget at 100,000 without throwing', () => {
    const nest = (n: number) => `${'['.repeat(n)}"https://deep.example/"${']'.repeat(n)}`;
    expect(decode({ data: nest(20_000) }).leaves.map((l) => l.text)).toEqual(['https://deep.example/']);
    const r = decode({ data: nest(100_000) });
    expect(reasons(r)).toContain('json:budget');
  });

  it('keeps a 64 MB base64-looking string as a leaf instead of decoding it past the budget', () => {
    const huge = 'Ab1+'.repeat(16 * MiB);
    const r = decode({ data: huge });
    expect(r.leaves.map((l) => l.text.length)).toEqual([64 * MiB]);
    expect(reasons(r)).toContain('base64:budget');
    expect(r.bytesProduced).toBe(0);
  });

  it('reads the text runs of invalid UTF-8', () => {
    const body = Buffer.concat([Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from(' visited https://utf8.example/page '), Buffer.from([0xe2, 0x82])]);
    expect(decode({ data: body }).leaves.map((l) => l.text)).toEqual(['( visited https://utf8.example/page']);
  });

  it('reads what a truncated base64 still holds', () => {
    const full = Buffer.from('{"u":"https://trunc.example/page","more":"x"}').toString('base64');
    const r = decode({ data: JSON.stringify({ d: full.slice(0, 40) }) });
    expect(r.leaves.map((l) => l.text)).toEqual(['{"u":"https://trunc.example/pa']);
  });

  it('yields the text before the cut of a truncated gzip, and says so', () => {
    const text = JSON.stringify({ u: 'https://cut.example/page', pad: randomBytes(3000).toString('hex') });
    const gz = gzipSync(text);
    const r = decode({ data: gz.subarray(0, Math.floor(gz.length / 2)) });
    expect(reasons(r)).toContain('gzip:truncated');
    expect(r.leaves.some((l) => l.text.includes('{"u":"https://cut.example/page"'))).toBe(true);
  });

  it.each([
    ['random bytes', () => randomBytes(4096), 'base', []],
    ['random base64 in JSON', () => JSON.stringify({ token: randomBytes(3072).toString('base64') }), 'json:$.token → base64', ['json:$.token']],
    ['random base64 in a form', () => `k=${encodeURIComponent(randomBytes(600).toString('base64'))}`, 'form:k → base64', ['form:k']],
  ])('recognises %s as opaque and decodes no garbage', (_name, make, opaqueAt, leafPaths) => {
    const data = make();
    const r = decode({ data, contentType: typeof data === 'string' && data.startsWith('k=') ? 'application/x-www-form-urlencoded' : undefined });
    expect(r.opaque.map((o) => (o.steps.length === 0 ? 'base' : formatPath(o.steps)))).toEqual([opaqueAt]);
    expect(r.opaque[0]!.entropy).toBeGreaterThan(7);
    expect(r.leaves.map((l) => formatPath(l.steps))).toEqual(leafPaths);
  });

  it('never throws, whatever the bytes', () => {
    for (let i = 0; i < 300; i++) {
      const data = randomBytes(3 + ((i * 37) % 900));
      // A third start like gzip, a third like zlib: the decompressors meet garbage too.
      if (i % 3 === 0) data.set([0x1f, 0x8b, 0x08]);
      if (i % 3 === 1) data.set([0x78, 0x9c]);
      expect(() => decode({ data, contentEncoding: i % 2 ? 'br' : 'gzip, deflate' })).not.toThrow();
    }
  });
});
