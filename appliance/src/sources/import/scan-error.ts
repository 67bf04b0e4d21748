/** Why the entry scanner cannot go on; har.ts turns it into an ImportError for the user. */
export class ScanError extends Error {
  constructor(
    readonly kind: 'not-json' | 'no-entries' | 'truncated' | 'syntax',
    message: string,
    readonly entriesRead: number,
  ) {
    super(message);
  }
}

/** What a file that is not JSON starts with: its text, or its bytes when it is not text. */
export function describeStart(head: Buffer): string {
  const text = head.toString('utf8');
  if (/^[\P{C}\s]*$/u.test(text)) return `the file starts with '${text.replace(/\s+/g, ' ')}'`;
  return `the file starts with the bytes ${[...head].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`;
}
