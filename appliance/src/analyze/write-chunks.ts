import { once } from 'node:events';

/**
 * Pieces are gathered into writes of about this many characters: few writes, little held, and each
 * write's string small enough for V8's young generation (at most 32 KB, two bytes a character when
 * an excerpt holds any non-Latin-1 character). Writes of 64 K characters were 128 KB strings, made
 * in the large-object space: they set off full collections of the whole analysis held beside them,
 * and writing a report of 37,477 alerts took 1.1 s instead of 0.5 s.
 */
export const WRITE_CHARS = 16 * 1024;

/**
 * Writes text made piece by piece to a stream, waiting when the stream asks to (a slow pipe or
 * terminal), so what is held at once is one write, not the whole report. A reader that went away
 * (`leakwatch analyze … | head`: EPIPE) ends the writing quietly; any other write error is thrown.
 */
export async function writeChunks(stream: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
  let broken: NodeJS.ErrnoException | undefined;
  const onError = (error: NodeJS.ErrnoException) => {
    broken ??= error;
  };
  stream.on('error', onError);
  try {
    let pending: string[] = [];
    let size = 0;
    const flush = async () => {
      const text = pending.join('');
      pending = [];
      size = 0;
      if (text.length > 0 && !stream.write(text)) await once(stream, 'drain').catch(() => undefined);
    };
    for (const chunk of chunks) {
      if (broken) break;
      pending.push(chunk);
      size += chunk.length;
      if (size >= WRITE_CHARS) await flush();
    }
    if (!broken) await flush();
    // The last write handed over (or failed), and its error, emitted a tick later, seen here.
    if (!broken) await new Promise<void>((resolve) => stream.write('', () => resolve()));
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    stream.off('error', onError);
  }
  if (broken && broken.code !== 'EPIPE') throw broken;
}
