import { asText, hasCompressionMagic } from './bytes.js';
import { looksLikeProtobuf } from './protobuf.js';

/**
 * Decoded bytes worth walking: readable text, a compression magic, or a protobuf message. This is
 * what keeps base64 and hex honest: a hash or a random token decodes to none of these.
 */
export function meaningful(bytes: Uint8Array): 'text' | 'binary' | undefined {
  if (hasCompressionMagic(bytes)) return 'binary';
  const text = asText(bytes);
  if (text !== undefined && text.length > 0) return 'text';
  if (looksLikeProtobuf(bytes)) return 'binary';
  return undefined;
}
