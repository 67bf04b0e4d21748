/** "1 request", "2 requests": a count with its noun, for every sentence a user reads. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}
