import { describe, expect, it } from 'vitest';
import { isSelfTest } from '../../../appliance/src/model/index.js';

describe('self-test names', () => {
  it.each([
    ['k2x9.selftest.leakwatch.internal', undefined, true],
    ['SELFTEST.leakwatch.internal.', undefined, true],
    ['192.0.2.1', undefined, true],
    // Transparent mode: the name comes from Host, the address from the socket.
    ['anything.example', '192.0.2.1', true],
    ['selftest.leakwatch.internal.evil.example', undefined, false],
    ['xselftest.leakwatch.internal', undefined, false],
    ['news.example', '10.98.0.10', false],
  ])('%s (to %s) is a self-test: %s', (host, address, expected) => {
    expect(isSelfTest(host, address)).toBe(expected);
  });
});
