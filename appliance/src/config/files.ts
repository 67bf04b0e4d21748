import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { IntelFileError, readOverlay } from '../intel/overlay.js';
import { ConfigError } from './config-error.js';
import type { Config } from './settings.js';
import { SETTINGS } from './settings.js';
import { valueAt } from './tree.js';

/**
 * The files settings name are read now, so a typo in a path stops `leakwatch start` with the
 * setting's name instead of an ENOENT stack trace minutes later (or at the first TLS connection).
 */
export async function checkFiles(config: Config, sourceOf: (path: string) => string): Promise<void> {
  for (const s of SETTINGS) {
    const value = valueAt(config, s.path);
    if (s.kind === 'caFile' && typeof value === 'string') await checkCaFile(s.path, value, sourceOf(s.path));
    if (s.kind === 'intelFiles' && Array.isArray(value)) for (const file of value as string[]) await checkIntelFile(s.path, file, sourceOf(s.path));
  }
}

async function checkCaFile(path: string, file: string, source: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw unreadable(path, file, source, error, 'a PEM CA certificate');
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigError(`${source}: ${path} "${file}" holds no PEM certificate (no -----BEGIN CERTIFICATE----- line): give the CA certificate in PEM form (openssl x509 -in ca.der -inform der -out ca.pem converts DER)`, path, source);
  }
}

async function checkIntelFile(path: string, file: string, source: string): Promise<void> {
  try {
    await access(file, constants.R_OK);
  } catch (error) {
    throw unreadable(path, file, source, error, 'an --intel overlay (JSON with "ranges" and/or "domains")');
  }
  try {
    await readOverlay(file);
  } catch (error) {
    if (error instanceof IntelFileError) throw new ConfigError(`${source}: ${path}: ${error.message}`, path, source);
    throw error;
  }
}

function unreadable(path: string, file: string, source: string, error: unknown, what: string): ConfigError {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new ConfigError(`${source}: ${path} "${file}" cannot be read (${code}): give the path of ${what} that the user running leakwatch can read`, path, source);
}
