/**
 * The memory a zstd frame asks its decoder for, from its header (RFC 8878 §3.1.1.1): the window
 * size, or for a single-segment frame the content size. fzstd allocates this up front, so a
 * 12-byte frame can ask for 64 MiB; the decoder refuses frames that ask for more than its cap.
 */
export function zstdWindowSize(b: Uint8Array): number | undefined {
  if (b.length < 6) return undefined;
  const descriptor = b[4]!;
  const fcsFlag = descriptor >> 6;
  const singleSegment = (descriptor & 0x20) !== 0;
  if (!singleSegment) {
    const wd = b[5]!;
    const base = 2 ** (10 + (wd >> 3));
    return base + (base / 8) * (wd & 7);
  }
  const dictionaryBytes = [0, 1, 2, 4][descriptor & 3]!;
  const fcsBytes = [1, 2, 4, 8][fcsFlag]!;
  const at = 5 + dictionaryBytes;
  if (b.length < at + fcsBytes) return undefined;
  let size = 0;
  for (let i = fcsBytes - 1; i >= 0; i--) size = size * 256 + b[at + i]!;
  return fcsBytes === 2 ? size + 256 : size;
}
