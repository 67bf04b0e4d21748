import { readFile } from 'node:fs/promises';
import { ConfigError } from './config-error.js';
import { checkConsistency } from './consistency.js';
import { closest } from './did-you-mean.js';
import { checkFiles } from './files.js';
import type { Config } from './settings.js';
import { DEFAULT_CONFIG, SETTINGS } from './settings.js';
import { isPlainObject, setValueAt, valueAt } from './tree.js';
import { checkValue } from './values.js';

export { ConfigError } from './config-error.js';
export { DEFAULT_CONFIG, SETTINGS } from './settings.js';
export type { Config, Kind, Setting } from './settings.js';

const PATHS = SETTINGS.map((s) => s.path);
const ENV_NAMES = SETTINGS.map((s) => s.env);
/** Variables in these sections are leakwatch settings; others (LEAKWATCH_BENCH_…) belong to tools. */
const ENV_SECTIONS = [...new Set(ENV_NAMES.map((name) => /^LEAKWATCH_[A-Z]+_/.exec(name)![0]))];

/**
 * Defaults, then the config file, then environment variables. Every value is checked, and so are
 * the names (a mistyped key would otherwise be ignored in silence), the files they name, and the
 * settings that cannot go together; the first problem stops the start with a ConfigError.
 */
export async function loadConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  const config = structuredClone(DEFAULT_CONFIG);
  const sources = new Map<string, string>();
  if (file) {
    const json = await readConfigFile(file);
    checkNames(json, '', file);
    for (const s of SETTINGS) {
      const value = valueAt(json, s.path);
      if (value === undefined) continue;
      setValueAt(config, s.path, checkValue(s, value, file, false));
      sources.set(s.path, file);
    }
  }
  checkEnvironmentNames(env);
  for (const s of SETTINGS) {
    const value = env[s.env];
    if (value === undefined || value === '') continue;
    const source = `environment ${s.env}`;
    setValueAt(config, s.path, checkValue(s, value, source, true));
    sources.set(s.path, source);
  }
  const sourceOf = (path: string) => sources.get(path) ?? 'default';
  checkConsistency(config, sourceOf);
  await checkFiles(config, sourceOf);
  return config;
}

async function readConfigFile(file: string): Promise<Record<string, unknown>> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? `not valid JSON: ${error.message}` : ((error as NodeJS.ErrnoException).code ?? (error as Error).message);
    throw new ConfigError(`${file}: cannot read the config file (${reason})`, undefined, file);
  }
  if (!isPlainObject(json)) throw new ConfigError(`${file}: the config file must hold a JSON object, like {"proxy": {"port": 3128}}`, undefined, file);
  return json;
}

/** Every key in the file must be a setting or a section of them; a typo gets a suggestion. */
function checkNames(node: Record<string, unknown>, prefix: string, file: string): void {
  for (const [key, value] of Object.entries(node)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (PATHS.includes(path)) continue;
    const children = PATHS.filter((p) => p.startsWith(`${path}.`));
    if (children.length > 0) {
      if (!isPlainObject(value)) throw new ConfigError(`${file}: ${path} must be an object of settings (${children.join(', ')}), not ${JSON.stringify(value)}`, path, file);
      checkNames(value, path, file);
      continue;
    }
    const siblings = [...new Set(PATHS.filter((p) => p.startsWith(prefix ? `${prefix}.` : '')).map((p) => p.slice(prefix ? prefix.length + 1 : 0).split('.')[0]!))];
    const sibling = closest(key, siblings);
    // A setting at the wrong level (`{"port": 3128}`) is found by its own name.
    const guess = sibling ? (prefix ? `${prefix}.${sibling}` : sibling) : PATHS.find((p) => p.endsWith(`.${closest(key, PATHS.map((q) => q.split('.').pop()!))}`));
    throw new ConfigError(`${file}: unknown setting ${path}${guess ? `; did you mean ${guess}?` : ''} (every setting is listed in appliance/src/config/README.md)`, path, file);
  }
}

/** A mistyped LEAKWATCH_ variable would be ignored in silence; say so instead. */
function checkEnvironmentNames(env: NodeJS.ProcessEnv): void {
  for (const [name, value] of Object.entries(env)) {
    if (!value || ENV_NAMES.includes(name) || !ENV_SECTIONS.some((section) => name.startsWith(section))) continue;
    const guess = closest(name, ENV_NAMES);
    throw new ConfigError(`environment ${name}: not a leakwatch setting${guess ? `; did you mean ${guess}?` : ''} (every variable is listed in appliance/src/config/README.md)`, undefined, `environment ${name}`);
  }
}
