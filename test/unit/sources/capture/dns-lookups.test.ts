import { describe, expect, it } from 'vitest';
import { DnsLookups } from '../../../../appliance/src/sources/capture/dns-lookups.js';
import type { DnsMessage } from '../../../../appliance/src/sources/packets/dns.js';

const answer = (name: string, ...ips: string[]): DnsMessage => ({ id: 1, response: true, questions: [name], addresses: ips.map((ip) => ({ name, ip, ttl: 60 })), aliases: [] });

describe('DNS lookups per device', () => {
  it('keeps each name a device asked for, with its addresses and counts, most recent first', () => {
    const lookups = new DnsLookups();
    lookups.add('phone', answer('sa.api.intl.miui.com', '8.219.10.20'), 1000);
    lookups.add('phone', answer('news.example', '10.98.0.10'), 1100);
    lookups.add('phone', answer('sa.api.intl.miui.com', '8.219.10.21', '8.219.10.20'), 1200);
    lookups.add('laptop', answer('news.example', '10.98.0.10'), 1300);
    lookups.add('phone', { id: 2, response: true, questions: [], addresses: [], aliases: [] }, 1400);
    expect(lookups.of('phone')).toEqual([
      { name: 'sa.api.intl.miui.com', addresses: ['8.219.10.20', '8.219.10.21'], count: 2, firstSeen: 1000, lastSeen: 1200 },
      { name: 'news.example', addresses: ['10.98.0.10'], count: 1, firstSeen: 1100, lastSeen: 1100 },
    ]);
    expect(lookups.of('laptop').map((l) => l.name)).toEqual(['news.example']);
    expect(lookups.of('nobody')).toEqual([]);
  });
});
