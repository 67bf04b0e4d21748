/**
 * The admin password from the appliance's shell (`leakwatch password`), and the one generated at
 * first start: shown only by a start that came up, so a failed start never shows one it drops.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { AdminAuth } from '../../../appliance/src/api/auth.js';
import { passwordCommand } from '../../../appliance/src/commands/password.js';
import { openDatabase } from '../../../appliance/src/store/index.js';
import { LeakwatchProcess } from '../../support/leakwatch-process.js';
import { freePort } from '../../support/ports.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-password-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io() {
  let out = '';
  let err = '';
  const sink = (add: (s: string) => void) => ({ write: (chunk: string | Uint8Array, cb?: () => void) => (add(String(chunk)), cb?.(), true) }) as unknown as NodeJS.WritableStream;
  return { io: { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)) }, out: () => out, err: () => err };
}

const stdin = (text: string) => {
  const stream = new PassThrough();
  stream.end(text);
  return stream;
};

describe('leakwatch password', () => {
  it('sets the admin password from stdin, and the appliance takes it at the next login without a restart', async () => {
    const dataDir = join(dir, 'set');
    const db = openDatabase(join(dataDir, 'leakwatch.db'));
    const { auth } = AdminAuth.init(db, 'the old password');
    const run = io();
    process.env.LEAKWATCH_DATA_DIR = dataDir;
    try {
      expect(await passwordCommand(['--stdin'], run.io, stdin('a brand new password\n'))).toBe(0);
    } finally {
      delete process.env.LEAKWATCH_DATA_DIR;
    }
    expect(run.err()).toBe(`leakwatch: admin password set for ${dataDir}; the web page takes it at the next login\n`);
    expect(auth.login('the old password', Date.now())).toBeUndefined();
    expect(auth.login('a brand new password', Date.now())).toEqual(expect.any(String));
    db.close();
  });

  it('refuses a short password and a missing one, changing nothing', async () => {
    process.env.LEAKWATCH_DATA_DIR = join(dir, 'refused');
    try {
      const short = io();
      expect(await passwordCommand(['--stdin'], short.io, stdin('short\n'))).toBe(1);
      expect(short.err()).toBe('leakwatch: the password needs at least 8 characters; nothing was changed\n');
      const none = io();
      expect(await passwordCommand([], none.io, stdin(''))).toBe(2);
      expect(none.err()).toMatch(/^leakwatch: no password given: run it in a terminal, or pass --stdin/);
      const help = io();
      expect(await passwordCommand(['--help'], help.io)).toBe(0);
      expect(help.out()).toMatch(/^usage: leakwatch password/);
    } finally {
      delete process.env.LEAKWATCH_DATA_DIR;
    }
  });
});

describe('the password generated at first start', () => {
  it('is not shown by a start that fails, and a start that comes up shows one that works', async () => {
    const dataDir = join(dir, 'generated');
    const busy = createServer();
    const busyPort = await freePort();
    await new Promise<void>((r) => busy.listen(busyPort, '127.0.0.1', () => r()));
    const config = (apiPort: number) => {
      const file = join(dir, `config-${apiPort}.json`);
      writeFileSync(file, JSON.stringify({ dataDir, api: { port: apiPort } }));
      return file;
    };
    try {
      const failed = await LeakwatchProcess.failure(['--config', config(busyPort)], { LEAKWATCH_API_HTTPS_PORT: String(await freePort()), LEAKWATCH_PROXY_PORT: String(await freePort()) });
      expect(failed.code).toBe(2);
      expect(failed.stderr).toContain(`api.port ${busyPort} on 127.0.0.1: the port is in use by another program`);
      expect(failed.stderr).not.toMatch(/admin password/);
    } finally {
      busy.close();
    }
    const up = await LeakwatchProcess.start(['--config', config(await freePort())], { LEAKWATCH_API_HTTPS_PORT: String(await freePort()), LEAKWATCH_PROXY_PORT: String(await freePort()) });
    await up.waitFor(/admin password for the web page/);
    const shown = /shown once, keep it; `leakwatch password` sets another\): (\S+)/.exec(up.stderr)![1]!;
    expect((await up.stop()).code).toBe(0);
    const db = openDatabase(join(dataDir, 'leakwatch.db'));
    expect(AdminAuth.init(db, undefined).auth.login(shown, Date.now())).toEqual(expect.any(String));
    db.close();
  });
});
