import { redactUrl } from '@tiergate/domain';

/**
 * Bounded buffer of the last lines a child wrote to stderr. Lines are redacted on the way in, so nothing
 * read from it (error details, logs) can carry URL credentials (`user:pass@` becomes `***@`).
 */
export class StderrRing {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(
    private readonly maxLines = 50,
    private readonly maxLineLength = 400,
  ) {}

  push(chunk: string | Buffer): void {
    const text = this.partial + chunk.toString();
    const parts = text.split(/\r?\n|\r/);
    this.partial = parts.pop() ?? '';
    if (this.partial.length > this.maxLineLength * 4) {
      parts.push(this.partial);
      this.partial = '';
    }
    for (const line of parts) this.add(line);
  }

  /** The kept lines, oldest first, including an unterminated last line. */
  tail(): string {
    const all = this.partial ? [...this.lines, redactUrl(this.partial.slice(0, this.maxLineLength))] : this.lines;
    return all.slice(-this.maxLines).join('\n');
  }

  private add(line: string): void {
    const trimmed = line.trimEnd();
    if (!trimmed) return;
    this.lines.push(redactUrl(trimmed).slice(0, this.maxLineLength));
    if (this.lines.length > this.maxLines) this.lines.shift();
  }
}
