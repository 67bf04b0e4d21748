/** Exit codes: 0 ran (found or not), 1 --fail-on met, 2 bad usage, unreadable input or an unwritable report. */
export const EXIT = { ok: 0, failOn: 1, usage: 2 } as const;
