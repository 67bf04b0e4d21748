import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** One datagram systemd would have received, with when it arrived. */
export interface NotifyMessage {
  state: string;
  at: number;
}

/**
 * Stands in for systemd's notify socket: a unix datagram socket (a path, or an abstract name
 * written `@name` as in NOTIFY_SOCKET). Node cannot receive unix datagrams, so python3 binds it and
 * prints each datagram as a JSON string line.
 */
export class NotifySocket {
  readonly messages: NotifyMessage[] = [];

  private constructor(
    readonly address: string,
    private readonly receiver: ChildProcess,
  ) {}

  static async bind(address: string): Promise<NotifySocket> {
    const script = [
      'import json, socket, sys',
      'address = sys.argv[1]',
      "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
      "s.bind('\\0' + address[1:] if address.startswith('@') else address)",
      "print('bound', flush=True)",
      'while True:',
      '    print(json.dumps(s.recv(65536).decode()), flush=True)',
    ].join('\n');
    const receiver = spawn('python3', ['-c', script, address], { stdio: ['ignore', 'pipe', 'inherit'] });
    const socket = new NotifySocket(address, receiver);
    await new Promise<void>((resolve, reject) => {
      receiver.once('exit', (code) => reject(new Error(`the notify socket receiver exited with ${code}`)));
      createInterface({ input: receiver.stdout! }).on('line', (line) => {
        if (line === 'bound') resolve();
        else socket.messages.push({ state: JSON.parse(line) as string, at: Date.now() });
      });
    });
    return socket;
  }

  /** Waits (bounded) for a message that starts with `prefix`. */
  async next(prefix: string, after = 0, ms = 20_000): Promise<NotifyMessage> {
    for (let waited = 0; waited < ms; waited += 20) {
      const found = this.messages.slice(after).find((m) => m.state.startsWith(prefix));
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no ${prefix} on ${this.address} within ${ms} ms; got ${JSON.stringify(this.messages.map((m) => m.state))}`);
  }

  close(): void {
    this.receiver.kill('SIGTERM');
  }
}
