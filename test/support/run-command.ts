import { PassThrough } from 'node:stream';
import type { CliIo } from '../../appliance/src/cli-io.js';

/** Runs a CLI command in-process with captured output, as a user would run `leakwatch …`. */
export async function runCommand(command: (argv: readonly string[], io: CliIo) => Promise<number>, argv: readonly string[]): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await command(argv, { stdout, stderr });
  return { code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') };
}
