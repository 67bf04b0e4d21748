import { describe, expect, it } from 'vitest';
import { isDohServer } from '../../../appliance/src/intel/doh-servers.js';

describe('DNS-over-HTTPS resolvers', () => {
  it.each([
    ['dns.google', true], ['Mozilla.Cloudflare-DNS.com', true], ['abc123.dns.nextdns.io', true], ['doh.pub', true],
    ['google.com', false], ['notdns.google', false], ['dns.nextdns.io.evil.example', false],
  ])('%s: %s', (host, expected) => expect(isDohServer(host)).toBe(expected));
});
