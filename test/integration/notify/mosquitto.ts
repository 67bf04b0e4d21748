import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../support/ports.js';

export interface MosquittoOptions {
  /** A TLS listener (mqtts://) with this certificate and key instead of plain MQTT. */
  tls?: { certFile: string; keyFile: string };
  /** Users and passwords (a mosquitto_passwd file); anonymous clients are refused when given. */
  users?: Record<string, string>;
}

/** A real Mosquitto broker on a free loopback port, with persistence in `dir`. */
export class Mosquitto {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly config: string,
    private readonly passwordFile: string,
    private readonly tls: boolean,
  ) {}

  static async create(dir: string, options: MosquittoOptions = {}): Promise<Mosquitto> {
    const port = await freePort();
    mkdirSync(dir, { recursive: true });
    const config = join(dir, 'mosquitto.conf');
    const passwordFile = join(dir, 'passwords');
    const broker = new Mosquitto(port, config, passwordFile, Boolean(options.tls));
    const users = Object.entries(options.users ?? {});
    for (const [user, password] of users) broker.setPassword(user, password);
    writeFileSync(config, [
      // Run as root, mosquitto drops to its own user, which could not read the test's files.
      `user ${userInfo().username}`,
      `listener ${port} 127.0.0.1`,
      ...(options.tls ? [`certfile ${options.tls.certFile}`, `keyfile ${options.tls.keyFile}`] : []),
      ...(users.length ? ['allow_anonymous false', `password_file ${passwordFile}`] : ['allow_anonymous true']),
      'persistence true', `persistence_location ${dir}/`, 'autosave_interval 1', '',
    ].join('\n'));
    return broker;
  }

  get url(): string {
    return `${this.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${this.port}`;
  }

  /** Adds or changes a user (takes effect at start, or at once on a running broker via SIGHUP). */
  setPassword(user: string, password: string): void {
    try {
      execFileSync('mosquitto_passwd', ['-b', ...(existsSync(this.passwordFile) ? [] : ['-c']), this.passwordFile, user, password], { stdio: 'ignore' });
    } catch (error) {
      throw new Error(`mosquitto_passwd failed (${(error as Error).message}): install mosquitto (apt-get install mosquitto), or run bash test/prerequisites.sh`, { cause: error });
    }
    chmodSync(this.passwordFile, 0o600);
    this.process?.kill('SIGHUP');
  }

  async start(): Promise<void> {
    const child = spawn('mosquitto', ['-c', this.config], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.process = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('mosquitto did not start')), 10_000);
      child.stderr!.on('data', (chunk: Buffer) => {
        if (/running/i.test(String(chunk))) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`mosquitto exited with ${code}`));
      });
      // Not installed: say so at once, not as a hook that times out.
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`mosquitto could not be started (${error.message}): install it (apt-get install mosquitto), or run bash test/prerequisites.sh`));
      });
    });
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}
