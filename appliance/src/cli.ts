import { SEVERITIES } from './model/index.js';
import type { CliIo } from './cli-io.js';
import { EXIT } from './commands/exit-codes.js';
import { UsageError } from './commands/usage-error.js';
import { ConfigError } from './config/config-error.js';
import { leakwatchVersion } from './version.js';

export type { CliIo } from './cli-io.js';

type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

/**
 * Each command is loaded only when it runs: `start` pulls in fastify, MQTT and the certificate
 * libraries (~0.35 s here, several seconds on a Pi Zero), which analyze, ca and the rest never use,
 * and the service need not hold analyze's file readers.
 */
const COMMANDS: Partial<Record<string, () => Promise<Command>>> = {
  analyze: async () => (await import('./commands/analyze.js')).analyzeCommand,
  start: async () => (await import('./commands/start.js')).startCommand,
  ca: async () => (await import('./commands/ca.js')).caCommand,
  password: async () => (await import('./commands/password.js')).passwordCommand,
  doctor: async () => (await import('./commands/doctor.js')).doctorCommand,
};

const USAGE = `Usage:
  leakwatch analyze FILE... [--json] [--intel FILE]... [--fail-on SEVERITY] [--no-suspected] [--hosted-in all|mainland|none]
  leakwatch start [--config FILE]
  leakwatch ca export [--der] [--config FILE]
  leakwatch password [--config FILE] [--stdin]
  leakwatch doctor [--config FILE]
  leakwatch --version | --help

analyze   Finds browsing data (visited URLs, hosts, search terms) leaving in the requests of
          HAR, pcap and pcapng captures (plain HTTP; TLS is only counted, by SNI), decoded
          through base64, gzip, JSON, protobuf and more, and says who receives it and whether
          the receiver is china-linked.
  --json            print {"alerts": [...], "summary": {...}} instead of the report
  --intel FILE      add IP ranges and domain owners (JSON; see README), may repeat
  --fail-on SEV     exit 1 when an alert of severity SEV or higher is found (${SEVERITIES.join('|')})
  --no-suspected    only report values this device was seen browsing
  --hosted-in WHICH which registry countries alone make a receiver china-linked: all (CN, HK,
                    MO; the default), mainland (CN only) or none (ownership only)

start     Runs the intercepting proxy (explicit mode: set it as the HTTP proxy of a laptop or a
          phone's Wi-Fi) with the detector behind it, and prints alerts as they happen.
ca export Prints the appliance CA certificate (PEM, or DER with --der) to install on the phone.
password  Sets the web page's admin password (a lost one, or a new one) from the appliance's shell.
doctor    Checks what a phone needs ("connected, no internet"?): the hotspot, DHCP and DNS, the
          firewall and redirect, the service, the page, the certificate, disk and temperature.

Every command takes --help.
`;

/** `leakwatch COMMAND --help` for the commands that do not print their own (password, doctor do). */
const COMMAND_HELP: Partial<Record<string, string>> = {
  analyze: sectionOf('analyze', 'start'),
  start: `${sectionOf('start', 'ca export')}\nSettings come from the config file (--config) and LEAKWATCH_* variables: README, "Running the proxy".\n`,
  ca: sectionOf('ca export', 'password'),
};

/** The part of USAGE that explains one command, with its usage line. */
function sectionOf(from: string, to: string): string {
  const line = USAGE.split('\n').find((l) => l.trimStart().startsWith(`leakwatch ${from}`))!.trim();
  const text = USAGE.slice(USAGE.indexOf(`\n${from} `) + 1, USAGE.indexOf(`\n${to} `) + 1);
  return `usage: ${line}\n\n${text}`;
}

export async function main(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout.write(USAGE);
      return command === undefined ? EXIT.usage : EXIT.ok;
    }
    if (command === '--version' || command === '-v') {
      io.stdout.write(`leakwatch ${leakwatchVersion()}\n`);
      return EXIT.ok;
    }
    const help = COMMAND_HELP[command];
    if (help && (rest.includes('--help') || rest.includes('-h'))) {
      io.stdout.write(help);
      return EXIT.ok;
    }
    const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (load) return await (await load())(rest, io);
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      io.stderr.write(`leakwatch: ${(error as Error).message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    if (error instanceof ConfigError) {
      io.stderr.write(`leakwatch: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
