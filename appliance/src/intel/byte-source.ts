import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * Bytes read by position: a table file kept on disk (the page cache holds it, not the process's
 * heap) or a buffer already in memory (tests, literal tables). `read` returns a view that is valid
 * only until the next read of the same source.
 */
export interface ByteSource {
  readonly size: number;
  read(position: number, length: number): Buffer;
}

export function bufferSource(bytes: Buffer): ByteSource {
  return {
    size: bytes.length,
    read(position, length) {
      if (position < 0 || position + length > bytes.length) throw new RangeError(`read of ${length} bytes at ${position} is past the end (${bytes.length} bytes)`);
      return bytes.subarray(position, position + length);
    },
  };
}

/**
 * A read-only file, opened once and read with pread(2). The descriptor stays open for the life of
 * the process: the intel files are opened once per process and looked up until it exits.
 */
export function fileSource(path: string): ByteSource {
  const fd = openSync(path, 'r');
  let size: number;
  try {
    size = fstatSync(fd).size;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  let scratch = Buffer.allocUnsafe(4096);
  return {
    size,
    read(position, length) {
      if (length > scratch.length) scratch = Buffer.allocUnsafe(Math.max(length, scratch.length * 2));
      let done = 0;
      while (done < length) {
        const n = readSync(fd, scratch, done, length - done, position + done);
        if (n === 0) throw new RangeError(`${path}: read of ${length} bytes at ${position} is past the end (${size} bytes); was the file replaced while leakwatch ran?`);
        done += n;
      }
      return scratch.subarray(0, length);
    },
  };
}
