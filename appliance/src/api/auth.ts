import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Database as Db } from 'better-sqlite3';

interface StoredHash {
  hash: Buffer;
  salt: Buffer;
}

const SETTING = 'admin_password';

/** The admin password's hash as stored (settings table), or undefined when none was set yet. */
function readHash(db: Db): StoredHash | undefined {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(SETTING) as { value: string } | undefined;
  if (!row) return undefined;
  const { salt, hash } = JSON.parse(row.value) as { salt: string; hash: string };
  return { hash: Buffer.from(hash, 'hex'), salt: Buffer.from(salt, 'hex') };
}

function hashOf(password: string): StoredHash {
  const salt = randomBytes(16);
  return { salt, hash: scryptSync(password, salt, 32) };
}

/**
 * The admin password: set by provisioning or `leakwatch password`, or generated on first start
 * (shown once, and kept only once the service is up: a start that fails keeps nothing, so the next
 * start shows a new one). Only a scrypt hash is stored, and it is read at each login, so a
 * `leakwatch password` from the shell applies at once. Sessions are random tokens kept in memory.
 */
export class AdminAuth {
  private readonly sessions = new Map<string, number>();

  private constructor(
    private readonly db: Db,
    /** A generated password not stored yet (see keepGenerated). */
    private pending: StoredHash | undefined,
    private readonly sessionMs: number,
  ) {}

  /** Stores the hash of `password` as the admin password. */
  static store(db: Db, password: string): void {
    const { salt, hash } = hashOf(password);
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(SETTING, JSON.stringify({ salt: salt.toString('hex'), hash: hash.toString('hex') }));
  }

  /**
   * The stored password; `provided` (the config's api.password) replaces it; with neither, a new
   * one is generated and returned, to be kept with keepGenerated() once the service is up.
   */
  static init(db: Db, provided: string | undefined, sessionMs = 12 * 3600 * 1000): { auth: AdminAuth; generated?: string } {
    if (provided) AdminAuth.store(db, provided);
    if (readHash(db)) return { auth: new AdminAuth(db, undefined, sessionMs) };
    const generated = randomBytes(12).toString('base64url');
    return { auth: new AdminAuth(db, hashOf(generated), sessionMs), generated };
  }

  /** Stores the generated password (the service is up: it was shown to the user). */
  keepGenerated(): void {
    if (!this.pending || readHash(this.db)) return;
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(SETTING, JSON.stringify({ salt: this.pending.salt.toString('hex'), hash: this.pending.hash.toString('hex') }));
    this.pending = undefined;
  }

  private current(): StoredHash | undefined {
    return readHash(this.db) ?? this.pending;
  }

  /** A new session token when the password is right. */
  login(password: string, now: number): string | undefined {
    const stored = this.current();
    if (!stored || !timingSafeEqual(scryptSync(password, stored.salt, 32), stored.hash)) return undefined;
    const token = randomBytes(32).toString('base64url');
    this.sessions.set(token, now + this.sessionMs);
    return token;
  }

  /** Whether `password` is the admin password, hashed off the event loop (MQTT logins to the embedded broker). */
  matches(password: string): Promise<boolean> {
    const stored = this.current();
    if (!stored) return Promise.resolve(false);
    return new Promise((resolve, reject) => {
      scrypt(password, stored.salt, 32, (error, candidate) => (error ? reject(error) : resolve(timingSafeEqual(candidate, stored.hash))));
    });
  }

  valid(token: string | undefined, now: number): boolean {
    if (!token) return false;
    const until = this.sessions.get(token);
    if (until === undefined || until < now) {
      this.sessions.delete(token ?? '');
      return false;
    }
    return true;
  }

  /**
   * Changes the password when `current` is right: the new hash is stored, and every session but
   * `keep` (the one that asked) ends. False when `current` is wrong.
   */
  change(current: string, next: string, keep: string | undefined): boolean {
    const stored = this.current();
    if (!stored || !timingSafeEqual(scryptSync(current, stored.salt, 32), stored.hash)) return false;
    AdminAuth.store(this.db, next);
    this.pending = undefined;
    for (const token of [...this.sessions.keys()]) if (token !== keep) this.sessions.delete(token);
    return true;
  }

  logout(token: string | undefined): void {
    if (token) this.sessions.delete(token);
  }
}
