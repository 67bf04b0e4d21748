/**
 * Request bodies as text, for JSON answers and HAR files. A body is text when it is valid UTF-8
 * without control characters other than tab, CR and LF; anything else (gzip, protobuf, encrypted
 * blobs) is binary, because decoding those as UTF-8 would change their bytes.
 */
export interface BodyText {
  encoding: 'utf8' | 'base64';
  text: string;
}

/** C0 controls except tab, newline and return, and DEL: what binary formats (protobuf, length-prefixed frames) are full of. */
// eslint-disable-next-line no-control-regex -- finding control characters is this pattern's job
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * The text of `bytes`, or undefined when they are binary. `cut`: the bytes are a prefix of a
 * longer body, so a multi-byte character split at the end is dropped instead of making it binary.
 */
function utf8Text(bytes: Uint8Array, cut: boolean): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: cut });
  } catch {
    return undefined;
  }
  return CONTROL.test(text) ? undefined : text;
}

/** For the API: UTF-8 text when the body is text, base64 otherwise, with a flag saying which. */
export function bodyForJson(bytes: Uint8Array, cut: boolean): BodyText {
  const text = utf8Text(bytes, cut);
  return text !== undefined ? { encoding: 'utf8', text } : { encoding: 'base64', text: Buffer.from(bytes).toString('base64') };
}

/**
 * For HAR `postData.text`, which has no encoding field: text as is, a binary body one character
 * per byte (Latin-1). That is how tweasel's TrackHAR reads binary bodies (its gunzip and protobuf
 * steps take `Buffer.from(text, 'binary')`) and how `leakwatch analyze` reads them back.
 */
export function bodyForHar(bytes: Uint8Array, cut: boolean): { text: string; binary: boolean } {
  const text = utf8Text(bytes, cut);
  return text !== undefined ? { text, binary: false } : { text: Buffer.from(bytes).toString('latin1'), binary: true };
}
