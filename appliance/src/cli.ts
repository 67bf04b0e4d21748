import { parseArgs } from 'node:util';
import type { Severity } from './model/index.js';
import { SEVERITIES, severityAtLeast } from './model/index.js';
import { AnalysisInputError, analyzeFiles } from './analyze/analyze.js';
import type { AnalysisReport } from './analyze/analyze.js';
import { renderText } from './analyze/report-text.js';
import { progressPrinter } from './analyze/progress.js';
import { loadIntel } from './intel/index.js';
import type { ChinaLinkPolicy } from './intel/index.js';
import type { CliIo } from './cli-io.js';
import { ConfigError } from './config/config-error.js';
import { leakwatchVersion } from './version.js';

/** Exit codes: 0 ran (found or not), 1 --fail-on met, 2 bad usage or unreadable input. */
export const EXIT = { ok: 0, failOn: 1, usage: 2 } as const;

export type { CliIo } from './cli-io.js';

type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

/**
 * The other commands, each loaded only when it runs: \`start\` pulls in fastify, MQTT and the
 * certificate libraries (~0.35 s here, several seconds on a Pi Zero), which analyze, ca and the rest
 * never use.
 */
const COMMANDS: Partial<Record<string, () => Promise<Command>>> = {
  start: async () => (await import('./commands/start.js')).startCommand,
  ca: async () => (await import('./commands/ca.js')).caCommand,
  password: async () => (await import('./commands/password.js')).passwordCommand,
  doctor: async () => (await import('./commands/doctor.js')).doctorCommand,
};

/** `--hosted-in`: which hosted-in reasons decide china-linked (README "Who counts as china-linked"). */
const HOSTED_IN: Record<string, ChinaLinkPolicy> = {
  all: { hostedInMainlandChina: true, hostedInHongKongMacau: true },
  mainland: { hostedInMainlandChina: true, hostedInHongKongMacau: false },
  none: { hostedInMainlandChina: false, hostedInHongKongMacau: false },
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

class UsageError extends Error {}

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
    if (command === 'analyze') return await analyzeCommand(rest, io);
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

async function analyzeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        intel: { type: 'string', multiple: true, default: [] },
        'fail-on': { type: 'string' },
        'no-suspected': { type: 'boolean', default: false },
        'hosted-in': { type: 'string', default: 'all' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError('analyze needs at least one capture file (HAR, pcap or pcapng)');
  const failOn = values['fail-on'];
  if (failOn !== undefined && !SEVERITIES.includes(failOn as Severity)) {
    throw new UsageError(`--fail-on takes one of ${SEVERITIES.join(', ')}, not "${failOn}"`);
  }

  const policy = Object.hasOwn(HOSTED_IN, values['hosted-in']) ? HOSTED_IN[values['hosted-in']] : undefined;
  if (!policy) throw new UsageError(`--hosted-in takes all, mainland or none, not "${values['hosted-in']}"`);

  let intel;
  try {
    intel = await loadIntel({ overlayFiles: values.intel, policy });
  } catch (error) {
    io.stderr.write(`leakwatch: ${(error as Error).message}\n`);
    return EXIT.usage;
  }

  const progress = io.stderr.isTTY ? progressPrinter(io.stderr) : undefined;
  let report: AnalysisReport;
  let inputErrors: string | undefined;
  try {
    report = await analyzeFiles(positionals, {
      intel,
      detector: { suspected: !values['no-suspected'] },
      ...(progress ? { onProgress: progress.update } : {}),
    });
  } catch (error) {
    if (!(error instanceof AnalysisInputError)) throw error;
    report = error.report;
    inputErrors = error.message;
  } finally {
    progress?.done();
  }

  io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderText(report, { color: Boolean(io.stdout.isTTY) }));
  if (inputErrors !== undefined) {
    io.stderr.write(`leakwatch: ${inputErrors}\n`);
    return EXIT.usage;
  }
  if (failOn !== undefined && report.alerts.some((a) => severityAtLeast(a.severity, failOn as Severity))) return EXIT.failOn;
  return EXIT.ok;
}
