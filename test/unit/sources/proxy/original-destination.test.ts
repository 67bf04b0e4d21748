import { createServer, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { originalDestination, parseSockaddr } from '../../../../appliance/src/sources/proxy/original-destination.js';

describe('SO_ORIGINAL_DST', () => {
  it.each([
    ['sockaddr_in', Buffer.from('0200' + '01bb' + '0a630014' + '0'.repeat(40), 'hex'), { ip: '10.99.0.20', port: 443 }],
    ['sockaddr_in6', Buffer.from('0a00' + '0050' + '00000000' + '20010db8000000000000000000000001' + '00000000', 'hex'), { ip: '2001:db8::1', port: 80 }],
    ['sockaddr_in6, IPv4-mapped', Buffer.from('0a00' + '01bb' + '00000000' + '00000000000000000000ffff0a630014' + '00000000', 'hex'), { ip: '10.99.0.20', port: 443 }],
  ])('reads a %s', (_name, buf, expected) => {
    expect(parseSockaddr(buf)).toEqual(expected);
  });

  it('has none on a connection that was not redirected', async () => {
    const result = await new Promise((resolve) => {
      const server = createServer((socket) => {
        resolve(originalDestination(socket));
        socket.destroy();
        server.close();
      });
      server.listen(0, '127.0.0.1', () => connect((server.address() as AddressInfo).port, '127.0.0.1').on('error', () => undefined));
    });
    expect(result).toBeUndefined();
  });
});
