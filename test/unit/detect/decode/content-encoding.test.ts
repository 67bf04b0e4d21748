import { brotliCompressSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decode } from '../../../../appliance/src/detect/decode/index.js';
import { undoContentEncoding } from '../../../../appliance/src/detect/decode/content-encoding.js';
import { URL, leaves } from './helpers.js';

const BODY = JSON.stringify({ u: URL });

describe('declared Content-Encoding', () => {
  it.each([
    ['gzip', 'gzip', gzipSync(BODY), 'content-encoding:gzip → json:$.u'],
    ['br', 'br', brotliCompressSync(BODY), 'content-encoding:br → json:$.u'],
    ['gzip then br, in reverse order', 'gzip, br', brotliCompressSync(gzipSync(BODY)), 'content-encoding:br → content-encoding:gzip → json:$.u'],
  ])('undoes %s', (_name, header, data, path) => {
    expect(leaves({ data, contentEncoding: header })).toEqual([[path, URL]]);
  });

  it('reads the body as sent when it was stored already decoded, and notes it', () => {
    const r = decode({ data: Buffer.from(BODY), contentEncoding: 'gzip' });
    expect(r.leaves.map((l) => l.text)).toEqual([URL]);
    expect(r.problems).toEqual([{ steps: [], codec: 'content-encoding', reason: 'invalid', detail: 'Content-Encoding gzip did not decode; read as sent' }]);
  });

  it('ignores identity and unknown codings', () => {
    expect(undoContentEncoding(Buffer.from(BODY), 'identity', [], 1000)).toEqual({ bytes: Buffer.from(BODY), steps: [], produced: 0 });
    expect(undoContentEncoding(Buffer.from(BODY), 'compress', [], 1000)).toEqual({ bytes: Buffer.from(BODY), steps: [], produced: 0 });
  });

  it('stops a declared gzip bomb at the cap and reads the body as sent', () => {
    const r = undoContentEncoding(gzipSync(Buffer.alloc(100_000)), 'gzip', [{ codec: 'query', at: 'x' }], 1000);
    expect([r.steps, r.produced, r.problem?.reason, r.problem?.steps, r.overBudget]).toEqual([[], 0, 'budget', [{ codec: 'query', at: 'x' }], 'gzip']);
  });

  it('inflates a declared gzip bomb once: the walk does not undo the same gzip again on the same bytes', () => {
    const r = decode({ data: gzipSync(Buffer.alloc(100_000)), contentEncoding: 'gzip', budget: { maxStepOutput: 1000 } });
    expect(r.problems.map((p) => [p.codec, p.reason])).toEqual([['content-encoding', 'budget']]);
    expect(r.bytesProduced).toBe(0);
  });

  it('still undoes the body itself when the declared coding was wrong, or when a later coding blew the budget', () => {
    // Declared br, sent gzip: br fails as invalid, and the walk finds the gzip itself.
    expect(leaves({ data: gzipSync(BODY), contentEncoding: 'br' })).toEqual([['gzip → json:$.u', URL]]);
    // br undone, then gzip over the cap: the body as sent is br, which the walk may undo again.
    const layered = undoContentEncoding(brotliCompressSync(gzipSync(Buffer.alloc(100_000))), 'gzip, br', [], 1000);
    expect([layered.problem?.reason, layered.overBudget]).toEqual(['budget', undefined]);
  });
});
