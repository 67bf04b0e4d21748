/**
 * Lines joined by newlines as they come, ending in exactly one newline: a run of newlines is held
 * back until text follows it, so the blank lines between sections never pile up at the end.
 */
export class JoinedLines {
  private first = true;
  private heldNewlines = 0;

  *add(lines: readonly string[]): Generator<string> {
    if (lines.length === 0) return;
    const piece = (this.first ? '' : '\n') + lines.join('\n');
    this.first = false;
    const kept = piece.replace(/\n+$/, '');
    if (kept.length === 0) {
      this.heldNewlines += piece.length;
      return;
    }
    yield '\n'.repeat(this.heldNewlines) + kept;
    this.heldNewlines = piece.length - kept.length;
  }

  *end(): Generator<string> {
    if (this.heldNewlines > 0) yield '\n';
  }
}
