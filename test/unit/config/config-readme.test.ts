import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, SETTINGS } from '../../../appliance/src/config/config.js';

const readme = readFileSync(resolve(import.meta.dirname, '../../../appliance/src/config/README.md'), 'utf8');
const rows = readme.split('\n').filter((line) => /^\| `[a-zA-Z.]+` \|/.test(line));

function defaultOf(path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], DEFAULT_CONFIG);
}

describe('appliance/src/config/README.md', () => {
  it('lists every setting once, and nothing else', () => {
    expect(rows.map((row) => /^\| `([^`]+)`/.exec(row)![1]).sort()).toEqual(SETTINGS.map((s) => s.path).sort());
  });

  it.each(SETTINGS.map((s) => [s.path, s.env] as const))('documents %s with its variable %s and its default', (path, env) => {
    const row = rows.find((r) => r.startsWith(`| \`${path}\` |`))!;
    expect(row.split(' | ')[1]).toBe(`\`${env}\``);
    const value = defaultOf(path);
    if ((typeof value === 'string' && value !== '') || typeof value === 'number' || typeof value === 'boolean') expect(row.split(' | ')[3]).toContain(`\`${String(value)}\``);
  });
});
