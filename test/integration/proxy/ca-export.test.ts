import 'reflect-metadata';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { caCommand } from '../../../appliance/src/commands/ca.js';
import { runCommand } from '../../support/run-command.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-ca-export-'));
const configFile = join(dir, 'config.json');
writeFileSync(configFile, JSON.stringify({ dataDir: join(dir, 'data') }));

const run = (argv: string[]) => runCommand(caCommand, argv);

describe('leakwatch ca export', () => {
  it('creates the CA on first use and prints its certificate as PEM, never the key', async () => {
    const r = await run(['export', '--config', configFile]);
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n?$/);
    expect(statSync(join(dir, 'data/ca/leakwatch-ca.key')).mode & 0o777).toBe(0o600);
  });

  it('prints the same certificate as DER bytes with --der', async () => {
    const pem = await run(['export', '--config', configFile]);
    const der = await run(['export', '--der', '--config', configFile]);
    expect(der.code).toBe(0);
    expect(new x509.X509Certificate(der.stdout).toString('pem')).toBe(new x509.X509Certificate(pem.stdout.toString()).toString('pem'));
  });

  it('answers anything but export with its usage and exit status 2', async () => {
    expect(await run(['import'])).toEqual({ code: 2, stdout: Buffer.alloc(0), stderr: 'usage: leakwatch ca export [--der] [--config FILE]\n' });
  });
});
