import { HttpParseError } from './http-parse-error.js';

const MAX_LINE = 4096;

/**
 * Decodes a chunked body as it arrives in arbitrary pieces: chunk sizes, data, and trailer
 * fields (read and dropped). Extensions after `;` on a size line are ignored.
 */
export class ChunkedBody {
  private state: 'size' | 'data' | 'data-end' | 'trailer' | 'done' = 'size';
  private line = '';
  private remaining = 0;

  get done(): boolean {
    return this.state === 'done';
  }

  /** Feeds bytes; data goes to `onData`. Returns how many bytes were used (fewer once the body ends). */
  push(b: Uint8Array, onData: (bytes: Uint8Array) => void): number {
    let i = 0;
    while (i < b.length && this.state !== 'done') {
      if (this.state === 'data') {
        const take = Math.min(this.remaining, b.length - i);
        onData(b.subarray(i, i + take));
        i += take;
        this.remaining -= take;
        if (this.remaining === 0) this.state = 'data-end';
        continue;
      }
      const c = b[i++]!;
      if (c !== 0x0a) {
        if (c !== 0x0d) this.line += String.fromCharCode(c);
        if (this.line.length > MAX_LINE) throw new HttpParseError('chunked body: a size or trailer line is longer than 4 KiB');
        continue;
      }
      this.endLine();
    }
    return i;
  }

  private endLine(): void {
    const line = this.line;
    this.line = '';
    if (this.state === 'data-end') {
      if (line !== '') throw new HttpParseError('chunked body: chunk data is not followed by CRLF');
      this.state = 'size';
    } else if (this.state === 'size') {
      const m = /^\s*([0-9a-fA-F]{1,12})\s*(;.*)?$/.exec(line);
      if (!m) throw new HttpParseError(`chunked body: invalid chunk size ${JSON.stringify(line.slice(0, 40))}`);
      this.remaining = parseInt(m[1]!, 16);
      this.state = this.remaining === 0 ? 'trailer' : 'data';
    } else if (this.state === 'trailer' && line === '') {
      this.state = 'done';
    }
  }
}
