import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../support/ports.js';

/** A real Mosquitto broker on a free loopback port, with persistence in `dir`. */
export class Mosquitto {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly config: string,
  ) {}

  static async create(dir: string): Promise<Mosquitto> {
    const port = await freePort();
    mkdirSync(dir, { recursive: true });
    const config = join(dir, 'mosquitto.conf');
    writeFileSync(config, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence true', `persistence_location ${dir}/`, 'autosave_interval 1', ''].join('\n'));
    return new Mosquitto(port, config);
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
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
      child.once('exit', (code) => reject(new Error(`mosquitto exited with ${code}`)));
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
