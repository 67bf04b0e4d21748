/** The tests' Mosquitto helper says what is missing at once, instead of a hook that times out. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Mosquitto } from './mosquitto.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-mosquitto-helper-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the Mosquitto test helper on a machine without Mosquitto', () => {
  it('rejects start and setPassword with what to install', async () => {
    const broker = await Mosquitto.create(join(dir, 'broker'));
    const path = process.env.PATH;
    process.env.PATH = join(dir, 'empty-bin');
    try {
      await expect(broker.start()).rejects.toThrow(/mosquitto could not be started \(spawn mosquitto ENOENT\): install it \(apt-get install mosquitto\), or run bash test\/prerequisites\.sh/);
      expect(() => broker.setPassword('user', 'password')).toThrow(/mosquitto_passwd failed .*ENOENT.*apt-get install mosquitto/);
    } finally {
      process.env.PATH = path;
    }
  });
});
