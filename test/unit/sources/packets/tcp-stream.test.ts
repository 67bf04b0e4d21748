import { describe, expect, it } from 'vitest';
import { TcpStream } from '../../../../appliance/src/sources/packets/tcp-stream.js';

/** A stream fed [seq, text] segments; returns what came out, gaps as ⟨n⟩. */
function reassemble(segments: [number, string, { syn?: boolean; fin?: boolean }?][], maxHeld?: number): { text: string; finished: boolean } {
  let text = '';
  const stream = new TcpStream({ data: (b) => (text += Buffer.from(b).toString('latin1')), gap: (n) => (text += `⟨${n}⟩`) }, maxHeld);
  for (const [seq, data, flags] of segments) stream.segment(seq >>> 0, Buffer.from(data, 'latin1'), 0, flags ?? {});
  const finished = stream.finished;
  stream.flush();
  return { text, finished };
}

describe('TcpStream', () => {
  it('delivers in-order segments after a SYN (which takes one sequence number)', () => {
    expect(reassemble([[99, '', { syn: true }], [100, 'GET '], [104, '/ HTTP/1.1']]).text).toBe('GET / HTTP/1.1');
  });

  it('puts out-of-order segments back in order', () => {
    expect(reassemble([[99, '', { syn: true }], [106, 'ghi'], [103, 'def'], [100, 'abc']]).text).toBe('abcdefghi');
  });

  it('delivers retransmitted segments once', () => {
    expect(reassemble([[99, '', { syn: true }], [100, 'abc'], [100, 'abc'], [103, 'def'], [100, 'abc'], [103, 'def']]).text).toBe('abcdef');
  });

  it('never replaces delivered bytes, delivers only the new part of an overlap, and lets the earlier-starting held segment win', () => {
    expect(reassemble([[99, '', { syn: true }], [100, 'abcd'], [102, 'CDEF'], [105, 'FGH']]).text).toBe('abcdEFGH');
    // Held segments that overlap each other, released once the hole fills.
    expect(reassemble([[99, '', { syn: true }], [104, 'efgh'], [103, 'DEFGHIJ'], [100, 'abc']]).text).toBe('abcDEFGHIJ');
  });

  it('survives segments split at every byte and shuffled', () => {
    const text = 'POST /sa HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello';
    const bytes = [...text].map((c, i) => [100 + i, c] as [number, string]);
    const shuffled = bytes.filter((_, i) => i % 3 === 2).concat(bytes.filter((_, i) => i % 3 !== 2).reverse());
    expect(reassemble([[99, '', { syn: true }], ...shuffled]).text).toBe(text);
  });

  it('follows the sequence number across the 32-bit wrap', () => {
    const isn = 0xfffffffa;
    expect(reassemble([[isn, '', { syn: true }], [isn + 1, 'abc'], [isn + 4, 'def'], [isn + 7, 'ghi'], [isn + 10, 'jk']]).text).toBe('abcdefghijk');
    // Out of order across the wrap: the segment after it arrives first.
    expect(reassemble([[isn, '', { syn: true }], [isn + 7, 'ghi'], [isn + 1, 'abcdef']]).text).toBe('abcdefghi');
  });

  it('starts at the first data segment when the capture began mid-connection (no SYN seen)', () => {
    expect(reassemble([[5000, 'GET /'], [5005, ' HTTP/1.1']]).text).toBe('GET / HTTP/1.1');
  });

  it('reports a hole that never fills as a gap when the stream is flushed, and delivers what follows', () => {
    expect(reassemble([[99, '', { syn: true }], [100, 'abc'], [110, 'xyz']]).text).toBe('abc⟨7⟩xyz');
  });

  it('gives a hole up as lost once the held out-of-order bytes pass the cap', () => {
    let out = '';
    const stream = new TcpStream({ data: (b) => (out += Buffer.from(b).toString('latin1')), gap: (n) => (out += `⟨${n}⟩`) }, 8);
    stream.segment(99, Buffer.alloc(0), 0, { syn: true });
    stream.segment(103, Buffer.from('defgh'), 0, {});
    expect([out, stream.bytesHeld]).toEqual(['', 5]);
    stream.segment(108, Buffer.from('ijklm'), 0, {});
    expect([out, stream.bytesHeld]).toEqual(['⟨3⟩defghijklm', 0]);
  });

  it('is finished once every byte up to the FIN was delivered, even when the FIN came early', () => {
    expect(reassemble([[99, '', { syn: true }], [103, 'def', { fin: true }], [100, 'abc']])).toEqual({ text: 'abcdef', finished: true });
    expect(reassemble([[99, '', { syn: true }], [103, 'def', { fin: true }]]).finished).toBe(false);
  });

  it('reports bytes the capture cut off (snap length) as a gap', () => {
    let out = '';
    const stream = new TcpStream({ data: (b) => (out += Buffer.from(b).toString('latin1')), gap: (n) => (out += `⟨${n}⟩`) });
    stream.segment(100, Buffer.from('abc'), 0, {}, 7);
    stream.segment(110, Buffer.from('xyz'), 0, {});
    expect(out).toBe('abc⟨7⟩xyz');
  });

  it('ignores a segment implausibly far ahead (a stray packet), rather than holding it', () => {
    const { text } = reassemble([[99, '', { syn: true }], [100, 'abc'], [100 + 2 ** 31 - 10, 'zzz'], [103, 'def']]);
    expect(text).toBe('abcdef');
  });
});
