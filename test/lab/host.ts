/**
 * What the lab needs from the machine it runs on, and cleaning up after runs that crashed.
 * Synchronous on purpose: cleanup also runs from a process 'exit' handler, where nothing async can.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAB_NAME } from './topology.js';

/** Runs a command and returns its stdout; throws with the command's stderr. */
export function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

/** Why the lab cannot run here (not root, a tool missing, namespaces refused), or undefined when it can. */
export function labUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'the network lab needs root (ip netns, nftables)';
  for (const tool of ['ip', 'nft', 'dnsmasq', 'curl', 'openssl']) {
    try {
      run('sh', ['-c', `command -v ${tool}`]);
    } catch {
      return `the network lab needs ${tool} (apt-get install iproute2 nftables dnsmasq-base curl openssl busybox)`;
    }
  }
  const probe = `lw-${process.pid}-0000-phone`;
  try {
    run('ip', ['netns', 'add', probe]);
    run('ip', ['netns', 'del', probe]);
  } catch (error) {
    return `this machine does not allow network namespaces: ${(error as { stderr?: Buffer }).stderr?.toString().trim() ?? String(error)}`;
  }
  return undefined;
}

/** Ends every process inside a namespace, then deletes it and its /etc/netns files. Never throws. */
export function removeNamespace(name: string): void {
  try {
    for (const pid of run('ip', ['netns', 'pids', name]).split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
    run('ip', ['netns', 'del', name]);
  } catch {
    // never created, or already gone
  }
  rmSync(join('/etc/netns', name), { recursive: true, force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes namespaces and temp dirs of lab runs whose process is gone (a crash, a kill -9), and
 * returns their names. Runs that are still alive — another test file, a demo — are left alone.
 */
export function cleanupStale(): string[] {
  const removed: string[] = [];
  const stale = (name: string) => {
    const owner = LAB_NAME.exec(name)?.[1];
    return owner !== undefined && !alive(Number(owner));
  };
  if (existsSync('/run/netns')) {
    for (const name of readdirSync('/run/netns').filter(stale)) {
      removeNamespace(name);
      removed.push(name);
    }
  }
  for (const dir of ['/etc/netns', tmpdir()]) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter(stale)) {
      rmSync(join(dir, name), { recursive: true, force: true });
      removed.push(join(dir, name));
    }
  }
  return removed;
}
