import { describe, expect, it } from 'vitest';
import { LoginLimit } from '../../../appliance/src/notify/login-limit.js';

describe('LoginLimit', () => {
  it('allows 5 failed logins per address in a minute, then none until the oldest is a minute old', () => {
    let now = 0;
    const limit = new LoginLimit(5, () => now);
    for (let i = 0; i < 5; i++) {
      expect(limit.allows('10.42.0.5')).toBe(true);
      limit.failed('10.42.0.5');
      now += 1000;
    }
    expect(limit.allows('10.42.0.5')).toBe(false);
    expect(limit.allows('10.42.0.6')).toBe(true); // another device is not punished
    now = 60_001;
    expect(limit.allows('10.42.0.5')).toBe(true);
  });
});
