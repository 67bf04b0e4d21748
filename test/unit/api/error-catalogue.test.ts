import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_ERRORS } from '../../../appliance/src/api/errors.js';

const ROOT = resolve(import.meta.dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('the LW_ERR catalogue', () => {
  it('lists every code the appliance answers with, and no code it never uses', () => {
    const used = new Set(sources(join(ROOT, 'appliance/src')).filter((f) => !f.endsWith('api/errors.ts')).flatMap((f) => readFileSync(f, 'utf8').match(/LW_ERR_[A-Z_]+/g) ?? []));
    expect([...used].sort()).toEqual(Object.keys(API_ERRORS).sort());
  });

  it('is the table README gives, code for code, with the same status and meaning', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `(LW_ERR_[A-Z_]+)` \| (\d+) \| (.+) \|$/gm)].map((m) => [m[1], Number(m[2]), m[3]]);
    expect(rows).toEqual(Object.entries(API_ERRORS).map(([code, e]) => [code, e.status, e.meaning]));
  });
});
