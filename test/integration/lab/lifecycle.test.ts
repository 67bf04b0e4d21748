/**
 * The lab leaves nothing behind: not after destroy(), not when its process is terminated, and what a
 * killed run leaves, cleanupStale() removes — without touching runs that are still alive.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { removeNamespace, run } from '../../lab/host.js';
import { cleanupStale, createLab, labUnavailable } from '../../lab/lab.js';
import { ROOT } from '../../lab/render.js';
import { namespaceNames } from '../../lab/topology.js';

const unavailable = labUnavailable();
if (unavailable) process.stderr.write(`network lab lifecycle tests skipped: ${unavailable}\n`);

interface Traces {
  ns: Record<string, string>;
  dir: string;
}

const namespaces = () => run('ip', ['netns', 'list']).split('\n').map((line) => line.split(' ')[0] ?? '');
const pidsIn = (names: string[]) => names.flatMap((name) => run('ip', ['netns', 'pids', name]).split('\n').filter(Boolean).map(Number));
/** A killed process counts as gone once it is a zombie: reaping it is its new parent's business. */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/** Polls (bounded) until the killed processes are reaped: SIGKILL is not instantaneous. */
async function gone(pids: number[]): Promise<number[]> {
  for (let i = 0; i < 40 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
  return pids.filter(alive);
}

function expectNoTraces(traces: Traces): void {
  const names = Object.values(traces.ns);
  expect(namespaces().filter((name) => names.includes(name))).toEqual([]);
  expect(names.filter((name) => existsSync(join('/etc/netns', name)))).toEqual([]);
  expect(existsSync(traces.dir)).toBe(false);
}

/** Starts hold-lab.ts in a child process and resolves once its lab is up. */
function holdLab(): Promise<{ child: ReturnType<typeof spawn>; traces: Traces }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/integration/lab/fixtures/hold-lab.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('hold-lab.ts did not build its lab within 30 s')), 30_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve({ child, traces: JSON.parse(line) as Traces });
    });
  });
}

const exited = (child: ReturnType<typeof spawn>) => new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));

describe.runIf(!unavailable)('the lab\'s lifecycle', () => {
  const live = namespaceNames(`${process.pid}-beef`).internet;
  afterAll(() => removeNamespace(live));

  it('names its namespaces lw-<pid>-<random>-phone|appl|net, and destroy() removes them, their processes and the temp dir', async () => {
    const lab = await createLab();
    expect(Object.values(lab.ns)).toEqual([`lw-${lab.runId}-phone`, `lw-${lab.runId}-appl`, `lw-${lab.runId}-net`]);
    expect(lab.runId).toMatch(new RegExp(`^${process.pid}-[0-9a-f]{4}$`));
    const pids = pidsIn(Object.values(lab.ns));
    expect(pids.length).toBeGreaterThanOrEqual(2); // dnsmasq and the internet's sites
    lab.destroy();
    expectNoTraces({ ns: lab.ns, dir: lab.paths.dir });
    expect(await gone(pids)).toEqual([]);
  }, 30_000);

  it('removes everything when its process gets SIGTERM, then dies of the signal', async () => {
    const { child, traces } = await holdLab();
    const pids = pidsIn(Object.values(traces.ns));
    const exit = exited(child);
    child.kill('SIGTERM');
    expect(await exit).toBe('SIGTERM');
    expectNoTraces(traces);
    expect(await gone(pids)).toEqual([]);
  }, 40_000);

  it('leaves a killed run\'s namespaces to cleanupStale(), which removes them and spares live runs', async () => {
    run('ip', ['netns', 'add', live]);
    const { child, traces } = await holdLab();
    const pids = pidsIn(Object.values(traces.ns));
    const exit = exited(child);
    child.kill('SIGKILL');
    await exit;
    // Another lab test file may run cleanupStale() first; either way the killed run must be gone after.
    cleanupStale();
    expectNoTraces(traces);
    expect(await gone(pids)).toEqual([]);
    expect(namespaces()).toContain(live);
  }, 40_000);
});
