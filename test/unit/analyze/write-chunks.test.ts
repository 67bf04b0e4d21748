import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { WRITE_CHARS, writeChunks } from '../../../appliance/src/analyze/write-chunks.js';

/** A stream that takes `bytesPerWrite` at a time, slowly, so writing must wait for it to drain. */
function slowSink(received: string[]): Writable {
  return new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, done) {
      received.push(chunk.toString());
      setTimeout(done, 1);
    },
  });
}

/** A pipe whose reader went away after `okWrites` writes, or that fails with another error. */
function brokenSink(okWrites: number, code: string, writes: { count: number }): Writable {
  return new Writable({
    write(_chunk, _encoding, done) {
      if (++writes.count > okWrites) done(Object.assign(new Error(`write ${code}`), { code }));
      else done();
    },
  });
}

const pieces = (n: number) => Array.from({ length: n }, (_, i) => `piece ${i} ${'x'.repeat(1000)}\n`);

describe('writeChunks (the analyze report, written as it is made)', () => {
  it('writes every piece in order, in writes of about 16 K characters, waiting for a slow reader', async () => {
    const received: string[] = [];
    await writeChunks(slowSink(received), pieces(300));
    expect(received.join('')).toBe(pieces(300).join(''));
    expect(received.length).toBeGreaterThanOrEqual(15);
    expect(received.length).toBeLessThan(25);
  });

  it('keeps each write of small pieces under the large-object size of V8 (128 KB), even at two bytes a character', async () => {
    const received: string[] = [];
    const wide = Array.from({ length: 300 }, (_, i) => `piece ${i} ${'…'.repeat(1000)}\n`);
    await writeChunks(slowSink(received), wide);
    expect(received.join('')).toBe(wide.join(''));
    // The sink gets UTF-8 bytes back as text: as many characters as the string each write was made of.
    const longest = Math.max(...received.map((text) => text.length));
    expect(longest).toBeLessThan(WRITE_CHARS + 1100);
    expect((WRITE_CHARS + 1100) * 2).toBeLessThan(128 * 1024);
  });

  it('stops quietly when the reader went away (EPIPE: analyze … | head), making no more of the report', async () => {
    const writes = { count: 0 };
    let made = 0;
    function* counted() {
      for (const p of pieces(2000)) {
        made++;
        yield p;
      }
    }
    await expect(writeChunks(brokenSink(1, 'EPIPE', writes), counted())).resolves.toBeUndefined();
    expect(made).toBeLessThan(300);
  });

  it('throws any other write error, for the command to report', async () => {
    await expect(writeChunks(brokenSink(0, 'ENOSPC', { count: 0 }), pieces(200))).rejects.toThrow('write ENOSPC');
  });
});
