/** The exit codes of every command, so a script can tell them apart the same way everywhere. */
export const EXIT = {
  /** It ran and did its job (analyze: whatever it found). */
  ok: 0,
  /**
   * It ran and the answer is no: analyze found an alert at or above --fail-on, doctor found a
   * problem, password refused the new password (nothing was changed).
   */
  no: 1,
  /** It could not run: bad usage, unreadable input, an unwritable report. */
  usage: 2,
} as const;
