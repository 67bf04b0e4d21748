/** Bad usage of the command line: the CLI prints the message with the usage text and exits 2. */
export class UsageError extends Error {}
