import { parseArgs } from 'node:util';
import type { CliIo } from '../cli-io.js';
import { loadConfig } from '../config/config.js';
import { loadOrCreateCa } from '../sources/proxy/ca.js';
import { EXIT } from './exit-codes.js';

/** `leakwatch ca export [--der] [--config FILE]`: the CA certificate to install on the phone. */
export async function caCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: { der: { type: 'boolean', default: false }, config: { type: 'string' } } });
  if (positionals[0] !== 'export') {
    io.stderr.write('usage: leakwatch ca export [--der] [--config FILE]\n');
    return EXIT.usage;
  }
  const config = await loadConfig(values.config);
  const ca = await loadOrCreateCa(config.dataDir);
  io.stdout.write(values.der ? Buffer.from(ca.certificateDer) : ca.certificatePem);
  return EXIT.ok;
}
