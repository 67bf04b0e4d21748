/**
 * The data dir holds the phone's cookies, Authorization headers, body excerpts, the CA key and the
 * admin password's hash: only the service's user may read it (directories 0700, files 0600, also
 * in installs from before this rule), and one `leakwatch start` at a time may use it.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDataDir, makeDataDirPrivate } from '../../../appliance/src/system/data-dir.js';
import { LeakwatchProcess } from '../../support/leakwatch-process.js';
import { freePort } from '../../support/ports.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-data-dir-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** Every entry under `root` with its mode, as `relative path → octal`. */
function modes(root: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(join(root, prefix))) {
    const rel = join(prefix, name);
    out[rel] = modeOf(join(root, rel)).toString(8);
    if (statSync(join(root, rel)).isDirectory()) Object.assign(out, modes(root, rel));
  }
  return out;
}

async function ports(): Promise<NodeJS.ProcessEnv> {
  return { LEAKWATCH_PROXY_PORT: String(await freePort()), LEAKWATCH_API_PORT: String(await freePort()), LEAKWATCH_API_HTTPS_PORT: String(await freePort()) };
}

describe('the data dir is private', () => {
  it('fixes an older install: directories become 0700 and files 0600, and it says how many it changed', () => {
    const data = join(dir, 'old-install');
    mkdirSync(join(data, 'evidence', 'aa-bb'), { recursive: true });
    writeFileSync(join(data, 'leakwatch.db'), '');
    writeFileSync(join(data, 'evidence', 'aa-bb', '00000001.pcapng'), '');
    for (const path of [data, join(data, 'evidence'), join(data, 'evidence', 'aa-bb')]) chmodSync(path, 0o755);
    for (const path of [join(data, 'leakwatch.db'), join(data, 'evidence', 'aa-bb', '00000001.pcapng')]) chmodSync(path, 0o644);

    expect(makeDataDirPrivate(data)).toBe(5);
    expect(modeOf(data)).toBe(0o700);
    expect(modes(data)).toEqual({ 'leakwatch.db': '600', evidence: '700', 'evidence/aa-bb': '700', 'evidence/aa-bb/00000001.pcapng': '600' });
    expect(makeDataDirPrivate(data)).toBe(0);
  });

  it('a fresh start under a permissive umask creates the database, its WAL, the CA and everything else private', async () => {
    const data = join(dir, 'fresh');
    const previous = process.umask(0o022);
    let up: LeakwatchProcess;
    try {
      up = await LeakwatchProcess.start([], { ...(await ports()), LEAKWATCH_DATA_DIR: data });
    } finally {
      process.umask(previous);
    }
    try {
      const seen = modes(data);
      expect(Object.keys(seen)).toEqual(expect.arrayContaining(['leakwatch.db', 'leakwatch.db-wal', 'leakwatch.db-shm', 'ca', 'ca/leakwatch-ca.pem']));
      expect(modeOf(data)).toBe(0o700);
      for (const [path, mode] of Object.entries(seen)) expect([path, mode]).toEqual([path, statSync(join(data, path)).isDirectory() ? '700' : '600']);
      expect(up.stderr).not.toMatch(/private to this user/);
    } finally {
      expect((await up.stop()).code).toBe(0);
    }
  });

  it('a start on an older install fixes it and says so', async () => {
    const data = join(dir, 'upgrade');
    mkdirSync(data, { mode: 0o755 });
    chmodSync(data, 0o755);
    writeFileSync(join(data, 'notes.txt'), 'kept', { mode: 0o644 });
    chmodSync(join(data, 'notes.txt'), 0o644);
    const up = await LeakwatchProcess.start([], { ...(await ports()), LEAKWATCH_DATA_DIR: data });
    expect((await up.stop()).code).toBe(0);
    expect(up.stderr).toContain(`leakwatch: made 2 entries of ${data} private to this user (directories 0700, files 0600)`);
    expect(modeOf(data)).toBe(0o700);
    expect(modeOf(join(data, 'notes.txt'))).toBe(0o600);
  });
});

describe('a stop asked for while starting', () => {
  it('SIGTERM the instant after start-up began is kept: leakwatch comes up, then stops cleanly (exit 0), not killed by the signal', async () => {
    const data = join(dir, 'early-stop');
    mkdirSync(data, { mode: 0o755 });
    chmodSync(data, 0o755);
    const early = LeakwatchProcess.begin([], { ...(await ports()), LEAKWATCH_DATA_DIR: data });
    // Said right after leakwatch took its data dir, long before it is ready.
    await early.waitFor(/private to this user/);
    expect(await early.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(early.stderr).toContain('proxy listening');
  });
});

describe('one leakwatch per data dir', () => {
  it('a second start on the same data dir refuses and names the first; after a kill -9 of the first a start takes it again', async () => {
    const data = join(dir, 'locked');
    const first = await LeakwatchProcess.start([], { ...(await ports()), LEAKWATCH_DATA_DIR: data });
    const second = await LeakwatchProcess.failure([], { ...(await ports()), LEAKWATCH_DATA_DIR: data });
    expect(second.code).toBe(2);
    expect(second.stderr).toBe(`leakwatch: dataDir ${data} is in use by another leakwatch (pid ${first.pid}): stop it first (\`systemctl stop leakwatch\` on the appliance), or give this one its own dataDir\n`);

    expect((await first.stop('SIGKILL')).signal).toBe('SIGKILL');
    const third = await LeakwatchProcess.start([], { ...(await ports()), LEAKWATCH_DATA_DIR: data });
    expect((await third.stop()).code).toBe(0);
  });

  it('in one process too: the lock refuses a second holder until the first releases it', () => {
    const data = join(dir, 'in-process');
    mkdirSync(data);
    const held = lockDataDir(data);
    expect(() => lockDataDir(data)).toThrow(`dataDir ${data} is in use by another leakwatch (pid ${process.pid})`);
    held.release();
    lockDataDir(data).release();
  });
});
