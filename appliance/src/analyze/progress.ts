import type { ImportProgress } from '../sources/import/index.js';
import { plural } from '../plural.js';

const MIN_INTERVAL_MS = 200;

/** One self-rewriting progress line on a terminal: file, percent, bytes, requests. */
export function progressPrinter(out: NodeJS.WritableStream): { update(p: ImportProgress): void; done(): void } {
  let last = 0;
  let shown = false;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < MIN_INTERVAL_MS) return;
      last = now;
      shown = true;
      const pct = p.totalBytes > 0 ? Math.min(100, Math.floor((p.bytesRead / p.totalBytes) * 100)) : 0;
      out.write(`\r\x1b[2Kreading ${p.file}: ${pct}% (${mb(p.bytesRead)} of ${mb(p.totalBytes)}), ${plural(p.flows, 'request')}`);
    },
    done() {
      if (shown) out.write('\r\x1b[2K');
    },
  };
}

function mb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}
