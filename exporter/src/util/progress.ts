/** A progress bar on stderr; when stderr is not a terminal (output to a file), one line per 10%. */
export class Progress {
  private readonly started = performance.now();
  private lastDecile = -1;

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  update(done: number): void {
    const fraction = this.total ? Math.min(1, done / this.total) : 1;
    const seconds = ((performance.now() - this.started) / 1000).toFixed(1);
    const text = `${this.label.padEnd(22)} ${bar(fraction)} ${(fraction * 100).toFixed(0).padStart(3)}% ${done.toLocaleString('en-US')}/${this.total.toLocaleString('en-US')} ${seconds}s`;
    if (process.stderr.isTTY) {
      process.stderr.write(`\r${text}`);
      if (fraction === 1) process.stderr.write('\n');
      return;
    }
    const decile = Math.floor(fraction * 10);
    if (decile !== this.lastDecile) {
      this.lastDecile = decile;
      process.stderr.write(`${text}\n`);
    }
  }
}

function bar(fraction: number, width = 30): string {
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}
