/**
 * The lab's long-running processes (dnsmasq, the internet's sites, whatever runs in the appliance):
 * each started inside a namespace, its output read line by line, and all of them killed on destroy.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export type LineListener = (line: string) => void;

export interface StartOptions {
  /** Resolves the start once a line of the process's stdout or stderr satisfies this. */
  ready: (line: string) => boolean;
  onLine?: LineListener;
  /** Rejects the start (and kills the process) when it is not ready by then. Default 30 s. */
  timeoutMs?: number;
}

export class LabProcesses {
  private readonly children: ChildProcess[] = [];

  constructor(
    private readonly cwd: string,
    private readonly log: (source: string, line: string) => void,
  ) {}

  /** A process inside namespace `ns`; every output line goes to `onLine` and to the lab's log. */
  spawn(ns: string, cmd: string, args: string[], onLine?: LineListener): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', ns, cmd, ...args], { cwd: this.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.push(child);
    const source = `${ns} ${cmd.split('/').pop() ?? cmd}`;
    // Both streams: some programs report readiness on stderr (dnsmasq logs there).
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        this.log(source, line);
        onLine?.(line);
      });
    }
    return child;
  }

  /** Starts a process and waits until it says it is ready. */
  start(ns: string, cmd: string, args: string[], options: StartOptions): Promise<ChildProcess> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      let settled = false;
      const child = this.spawn(ns, cmd, args, (line) => {
        options.onLine?.(line);
        if (!settled && options.ready(line)) {
          settled = true;
          clearTimeout(timer);
          resolve(child);
        }
      });
      const fail = (why: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`${cmd} ${args.join(' ')} (in ${ns}) ${why}`));
      };
      const timer = setTimeout(() => fail(`did not say it was ready within ${timeoutMs} ms`), timeoutMs);
      child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before it was ready`));
      child.once('error', (error) => fail(`could not start: ${error.message}`));
    });
  }

  /** Kills every process started here. Synchronous, so it also works from an 'exit' handler. */
  killAll(): void {
    for (const child of this.children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }
}
