import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { AdminAuth } from '../api/auth.js';
import type { CliIo } from '../cli-io.js';
import { loadConfig } from '../config/config.js';
import { openDatabase } from '../store/index.js';
import { EXIT } from './exit-codes.js';


export const PASSWORD_USAGE = `usage: leakwatch password [--config FILE] [--stdin]
Sets the admin password of the web page (for a lost one, or a new one), from the appliance's shell.
The running service takes it at the next login; every open session stays until it expires.
  --stdin    read it from the first line of standard input instead of asking
  --config   leakwatch's config file (the Pi: /etc/leakwatch/leakwatch.json), for its data dir
`;

const MIN_LENGTH = 8;

/** One line from stdin, or a hidden prompt on the terminal (asked twice). */
async function readPassword(io: CliIo, fromStdin: boolean, input: NodeJS.ReadableStream): Promise<string | undefined> {
  if (fromStdin) {
    const lines = createInterface({ input });
    for await (const line of lines) {
      lines.close();
      return line;
    }
    return undefined;
  }
  if (!(input as { isTTY?: boolean }).isTTY) return undefined;
  let muted = false;
  const output = new Writable({ write: (chunk, _encoding, done) => (muted ? done() : io.stderr.write(chunk, done)) });
  const terminal = createInterface({ input, output, terminal: true });
  const ask = (question: string) => new Promise<string>((resolve) => {
    terminal.question(question, (answer) => {
      io.stderr.write('\n');
      resolve(answer);
    });
    muted = true;
  });
  try {
    const first = await ask('New admin password: ');
    muted = false;
    const again = await ask('Again: ');
    return first === again ? first : Promise.reject(new Error('the two passwords differ; nothing was changed'));
  } finally {
    terminal.close();
  }
}

/** `leakwatch password`: sets the admin password's hash in the appliance database. */
export async function passwordCommand(argv: readonly string[], io: CliIo, input: NodeJS.ReadableStream = process.stdin): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: { config: { type: 'string' }, stdin: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } });
  if (values.help) {
    io.stdout.write(PASSWORD_USAGE);
    return EXIT.ok;
  }
  const config = await loadConfig(values.config);
  let password: string | undefined;
  try {
    password = await readPassword(io, values.stdin, input);
  } catch (error) {
    io.stderr.write(`leakwatch: ${(error as Error).message}\n`);
    return EXIT.no;
  }
  if (password === undefined) {
    io.stderr.write(`leakwatch: no password given: run it in a terminal, or pass --stdin and the password on standard input\n${PASSWORD_USAGE}`);
    return EXIT.usage;
  }
  if (password.length < MIN_LENGTH) {
    io.stderr.write(`leakwatch: the password needs at least ${MIN_LENGTH} characters; nothing was changed\n`);
    return EXIT.no;
  }
  const db = openDatabase(join(config.dataDir, 'leakwatch.db'));
  try {
    AdminAuth.store(db, password);
  } finally {
    db.close();
  }
  io.stderr.write(`leakwatch: admin password set for ${config.dataDir}; the web page takes it at the next login\n`);
  return EXIT.ok;
}
