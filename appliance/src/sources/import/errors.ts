/** Why a capture file could not be read (to the end). The message names the file and what to do. */
export type ImportErrorCode = 'unreadable' | 'malformed' | 'unsupported';

export class ImportError extends Error {
  constructor(
    readonly code: ImportErrorCode,
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'ImportError';
  }
}

/** A bad part of a file that was skipped; the rest was read. */
export interface ImportProblem {
  file: string;
  at: string;
  reason: string;
}

export interface ImportProgress {
  file: string;
  bytesRead: number;
  totalBytes: number;
  flows: number;
}
