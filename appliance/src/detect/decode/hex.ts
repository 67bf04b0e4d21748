const HEX = /^(?:[0-9a-fA-F]{2})+$/;

/**
 * Candidate hex. Note a hash (MD5, SHA-1, SHA-256 …) decodes to random bytes, which the walk
 * then refuses: it stays a leaf, where the matcher compares it with hashed browsing values.
 */
export function looksLikeHex(text: string): boolean {
  return text.length >= 16 && HEX.test(text);
}

export function hexBytes(text: string): Uint8Array {
  return Buffer.from(text, 'hex');
}
