import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Database as Db } from 'better-sqlite3';

/**
 * The admin password: set by provisioning, or generated on first start and shown once in the log.
 * Only a scrypt hash is stored (settings table). Sessions are random tokens kept in memory.
 */
export class AdminAuth {
  private readonly sessions = new Map<string, number>();

  private constructor(
    private hash: Buffer,
    private salt: Buffer,
    private readonly sessionMs: number,
  ) {}

  /** Stores the hash of `password` as the admin password (the settings table). */
  static store(db: Db, password: string): { hash: Buffer; salt: Buffer } {
    const salt = randomBytes(16);
    const hash = scryptSync(password, salt, 32);
    db.prepare("INSERT INTO settings (key, value) VALUES ('admin_password', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(JSON.stringify({ salt: salt.toString('hex'), hash: hash.toString('hex') }));
    return { hash, salt };
  }

  /** Loads the stored password hash, setting `provided` (or a generated one, returned) if there is none. */
  static init(db: Db, provided: string | undefined, sessionMs = 12 * 3600 * 1000): { auth: AdminAuth; generated?: string } {
    const row = db.prepare("SELECT value FROM settings WHERE key = 'admin_password'").get() as { value: string } | undefined;
    if (row && !provided) {
      const { salt, hash } = JSON.parse(row.value) as { salt: string; hash: string };
      return { auth: new AdminAuth(Buffer.from(hash, 'hex'), Buffer.from(salt, 'hex'), sessionMs) };
    }
    const generated = provided ? undefined : randomBytes(12).toString('base64url');
    const { hash, salt } = AdminAuth.store(db, provided ?? generated!);
    return generated ? { auth: new AdminAuth(hash, salt, sessionMs), generated } : { auth: new AdminAuth(hash, salt, sessionMs) };
  }

  /** A new session token when the password is right. */
  login(password: string, now: number): string | undefined {
    const candidate = scryptSync(password, this.salt, 32);
    if (!timingSafeEqual(candidate, this.hash)) return undefined;
    const token = randomBytes(32).toString('base64url');
    this.sessions.set(token, now + this.sessionMs);
    return token;
  }

  /** Whether `password` is the admin password, hashed off the event loop (MQTT logins to the embedded broker). */
  matches(password: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      scrypt(password, this.salt, 32, (error, candidate) => (error ? reject(error) : resolve(timingSafeEqual(candidate, this.hash))));
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
  change(db: Db, current: string, next: string, keep: string | undefined): boolean {
    if (!timingSafeEqual(scryptSync(current, this.salt, 32), this.hash)) return false;
    ({ hash: this.hash, salt: this.salt } = AdminAuth.store(db, next));
    for (const token of [...this.sessions.keys()]) if (token !== keep) this.sessions.delete(token);
    return true;
  }

  logout(token: string | undefined): void {
    if (token) this.sessions.delete(token);
  }
}
