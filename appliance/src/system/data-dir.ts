import { chmodSync, closeSync, lstatSync, mkdirSync, readdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError } from '../config/config-error.js';

/** Directories of the data dir: only the service's user may list or enter them. */
const PRIVATE_DIR = 0o700;
/** Files of the data dir (database, WAL, evidence, CA key): they hold cookies, tokens and the password hash. */
const PRIVATE_FILE = 0o600;

/**
 * Creates the data dir 0700 and makes everything already in it private (directories 0700, files
 * 0600), so installs from before this rule are fixed at start. Returns how many modes it changed.
 * Symbolic links are left alone (their targets are not ours to change).
 */
export function makeDataDirPrivate(dir: string): number {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  return makePrivate(dir);
}

function makePrivate(path: string): number {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return 0;
  const wanted = stat.isDirectory() ? PRIVATE_DIR : PRIVATE_FILE;
  let changed = 0;
  if ((stat.mode & 0o777) !== wanted) {
    chmodSync(path, wanted);
    changed++;
  }
  if (stat.isDirectory()) for (const name of readdirSync(path)) changed += makePrivate(join(path, name));
  return changed;
}

/** The running service's hold on its data dir; `release()` on stop. */
export interface DataDirLock {
  release(): void;
}

/**
 * Takes the data dir for this process, or refuses when another `leakwatch start` holds it. The
 * hold is an exclusive SQLite lock on `leakwatch.lock` (an fcntl lock): the kernel drops it when
 * the holder dies, even by kill -9, so a crash never leaves a stale lock behind. The holder's pid
 * is written beside it only to name it in the refusal. Taken before anything in the dir changes.
 */
export function lockDataDir(dir: string): DataDirLock {
  const lockPath = join(dir, 'leakwatch.lock');
  const pidPath = join(dir, 'leakwatch.pid');
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  closeSync(openSync(lockPath, 'a', PRIVATE_FILE));
  const db = new Database(lockPath, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    const holder = readHolder(pidPath);
    throw new ConfigError(
      `dataDir ${dir} is in use by another leakwatch${holder ? ` (pid ${holder})` : ''}: stop it first (\`systemctl stop leakwatch\` on the appliance), or give this one its own dataDir`,
      'dataDir',
    );
  }
  writeFileSync(pidPath, `${process.pid}\n`, { mode: PRIVATE_FILE });
  return {
    release() {
      rmSync(pidPath, { force: true });
      db.close();
    },
  };
}

function readHolder(pidPath: string): string | undefined {
  try {
    return /^\d+/.exec(readFileSync(pidPath, 'utf8'))?.[0];
  } catch {
    return undefined;
  }
}
