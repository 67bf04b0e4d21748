/** Bytes on a connection that are not (or no longer) HTTP/1.x; the message says what was wrong. */
export class HttpParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HttpParseError';
  }
}
