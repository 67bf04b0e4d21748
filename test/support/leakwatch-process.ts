import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * `leakwatch start` in its own process, from the sources through tsx (no build needed), as systemd
 * or a user would run it: real signals, real exit status, its own stdout and stderr.
 */
export class LeakwatchProcess {
  stdout = '';
  stderr = '';
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout!.on('data', (c: Buffer) => (this.stdout += String(c)));
    child.stderr!.on('data', (c: Buffer) => (this.stderr += String(c)));
    this.exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  }

  /**
   * Starts it and resolves once the proxy says it listens. `built`: the built CLI
   * (appliance/bin/leakwatch.js, after `npm run build`) under these Node flags, as benchmarks measure it.
   */
  static async start(args: readonly string[], env: NodeJS.ProcessEnv = {}, built?: { nodeFlags: readonly string[] }): Promise<LeakwatchProcess> {
    const started = LeakwatchProcess.spawn(args, env, built);
    await started.waitFor(/proxy listening/, 60_000);
    return started;
  }

  /** Starts it without waiting for anything: the caller waits for what it wants (waitFor). */
  static begin(args: readonly string[], env: NodeJS.ProcessEnv = {}): LeakwatchProcess {
    return LeakwatchProcess.spawn(args, env);
  }

  /** Runs a start that is expected to fail: its exit (SIGKILL after `ms` if it hangs) and stderr. */
  static async failure(args: readonly string[], env: NodeJS.ProcessEnv = {}, ms = 30_000): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
    const run = LeakwatchProcess.spawn(args, env);
    const timer = setTimeout(() => run.child.kill('SIGKILL'), ms);
    const exit = await run.exited;
    clearTimeout(timer);
    return { ...exit, stderr: run.stderr };
  }

  private static spawn(args: readonly string[], env: NodeJS.ProcessEnv, built?: { nodeFlags: readonly string[] }): LeakwatchProcess {
    const entry = built ? [...built.nodeFlags, 'appliance/bin/leakwatch.js'] : ['--import', 'tsx', 'appliance/src/main.ts'];
    return new LeakwatchProcess(spawn(process.execPath, [...entry, 'start', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  get pid(): number {
    return this.child.pid!;
  }

  async waitFor(pattern: RegExp, ms = 20_000): Promise<void> {
    for (let waited = 0; waited < ms; waited += 25) {
      if (pattern.test(this.stderr)) return;
      if (this.child.exitCode !== null) throw new Error(`leakwatch exited with ${this.child.exitCode} before ${pattern}:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`leakwatch did not print ${pattern} within ${ms} ms:\n${this.stderr}`);
  }

  /** Sends `signal` and waits (bounded) for the exit; SIGKILL if it hangs, so a test never does. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', ms = 20_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null) this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), ms);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }
}
