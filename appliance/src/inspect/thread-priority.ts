import { createRequire } from 'node:module';
import { setPriority } from 'node:os';

/**
 * Gives the calling thread a lower scheduling priority (a higher nice value) than the rest of the
 * process. On the inspection thread this is ARCHITECTURE decision 1 made literal: when the CPU is
 * short, forwarding the phone's traffic runs first and inspection catches up in the gaps.
 * Linux: setpriority(2) takes a thread id; glibc's gettid() gives it (through koffi, which the
 * proxy already uses). Returns why it could not, or undefined.
 */
export function lowerThisThreadPriority(nice: number): string | undefined {
  if (process.platform !== 'linux') return `thread priorities are set only on Linux, not ${process.platform}`;
  try {
    const koffi = createRequire(import.meta.url)('koffi') as { load(name: string): { func(signature: string): () => number } };
    const threadId = koffi.load('libc.so.6').func('int gettid()')();
    setPriority(threadId, nice);
    return undefined;
  } catch (error) {
    return `could not lower the inspection thread's priority (${(error as Error).message}); it competes with the proxy for the CPU`;
  }
}
