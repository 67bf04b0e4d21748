import { describe, expect, it } from 'vitest';
import { writePcap } from '../../../../fixtures/pcap/capture-writer.js';
import { LINKTYPE, clientHello, dnsResponse, ipPacket, udpDatagram } from '../../../../fixtures/pcap/packets.js';
import { TcpConversation, httpRequest, httpResponse } from '../../../../fixtures/pcap/tcp-conversation.js';
import type { IpAt } from '../../../../fixtures/pcap/tcp-conversation.js';
import { captureFile, framed, readCapture } from './capture-helpers.js';

const T0 = Date.parse('2026-11-01T10:00:00Z');

function oneGet(client: string, server: string, options: { host?: string; port?: number } = {}): IpAt[] {
  const headers: Record<string, string> = options.host === undefined ? { Host: 'site.example' } : options.host ? { Host: options.host } : {};
  return new TcpConversation({ client, clientPort: 40000, server, serverPort: options.port ?? 80 }, T0)
    .handshake()
    .send('client', httpRequest('GET', '/a?b=c', headers))
    .send('server', httpResponse(200, { 'Content-Length': '0' }))
    .close().packets;
}

async function read(packets: IpAt[], linkType: number, options: { vlan?: number } = {}) {
  return readCapture(captureFile(writePcap(framed(packets, linkType, options), { linkType })));
}

describe('link layers and IP versions', () => {
  it.each([
    ['Ethernet', LINKTYPE.ethernet, {}],
    ['Ethernet with an 802.1Q VLAN tag', LINKTYPE.ethernet, { vlan: 42 }],
    ['Linux cooked capture (SLL)', LINKTYPE.linuxSll, {}],
    ['Linux cooked capture v2 (SLL2)', LINKTYPE.linuxSll2, {}],
    ['raw IP', LINKTYPE.raw, {}],
    ['BSD loopback (NULL)', LINKTYPE.null, {}],
  ])('reads HTTP over IPv4 and IPv6 in %s frames', async (_name, linkType, options) => {
    const v4 = await read(oneGet('10.0.0.2', '93.184.216.34'), linkType, options);
    expect(v4.flows.map((f) => [f.device, f.url, f.destination])).toEqual([['10.0.0.2', 'http://site.example/a?b=c', { host: 'site.example', ip: '93.184.216.34', port: 80 }]]);
    const v6 = await read(oneGet('2001:db8::2', '2001:db8:0:1::80'), linkType, options);
    expect(v6.flows.map((f) => [f.device, f.destination.ip])).toEqual([['2001:db8::2', '2001:db8:0:1::80']]);
  });

  it.each([
    ['LINKTYPE_IPV4', LINKTYPE.ipv4, '10.0.0.2', '93.184.216.34'],
    ['LINKTYPE_IPV6', LINKTYPE.ipv6, '2001:db8::2', '2001:db8::1'],
  ])('reads %s captures', async (_name, linkType, client, server) => {
    expect((await read(oneGet(client, server), linkType)).flows).toHaveLength(1);
  });

  it('says which link type it cannot read, once, with the count of frames skipped', async () => {
    const { flows, problems } = await readCapture(captureFile(writePcap(oneGet('10.0.0.2', '10.0.0.1').map((p) => ({ time: p.time, data: p.ip })), { linkType: 127 })));
    expect(flows).toEqual([]);
    expect(problems.map((p) => p.reason)).toEqual([expect.stringMatching(/^\d+ frames of link type 127 were skipped: supported are Ethernet/)]);
  });

  it('skips IP fragments with one warning saying why', async () => {
    const fragment = { time: T0, ip: ipPacket('10.0.0.2', '10.0.0.1', 17, udpDatagram(5000, 53, Buffer.alloc(100)), { fragment: true }) };
    const { problems } = await read([fragment, ...oneGet('10.0.0.2', '10.0.0.1')], LINKTYPE.raw);
    expect(problems.map((p) => p.reason)).toEqual([expect.stringMatching(/^1 IP fragments were skipped: fragments are not reassembled/)]);
  });

  it('warns when the snap length cut packets short, and keeps the request head it has', async () => {
    const packets = oneGet('10.0.0.2', '10.0.0.1');
    const cut = packets.map((p) => ({ time: p.time, data: p.ip.subarray(0, Math.min(p.ip.length, 60)), originalLength: p.ip.length }));
    const { flows, problems } = await readCapture(captureFile(writePcap(cut, { linkType: LINKTYPE.raw })));
    expect(flows).toEqual([]);
    expect(problems.map((p) => p.reason)).toContainEqual(expect.stringMatching(/packets were cut short by the capture's snap length/));
  });
});

/** Any JA4 fingerprint: the ClientHellos here are made up, so only the shape is known. */
const JA4 = expect.stringMatching(/^t(13|12|11|10|s3|00)[di]\d{4}[0-9a-z]{2}_[0-9a-f]{12}_[0-9a-f]{12}$/);

describe('DNS and TLS', () => {
  it('names a TLS connection by its SNI, and by the DNS answer when the ClientHello has none', async () => {
    const dns = { time: T0, ip: ipPacket('10.0.0.1', '10.0.0.2', 17, udpDatagram(53, 5353, dnsResponse('api.example.cn', ['47.88.1.1'], 'edge.cdn.example'))) };
    const withSni = new TcpConversation({ client: '10.0.0.2', clientPort: 40001, server: '47.88.1.1', serverPort: 443 }, T0 + 10).handshake().send('client', clientHello('sni.example.cn'), 3).close();
    const noSni = new TcpConversation({ client: '10.0.0.2', clientPort: 40002, server: '47.88.1.1', serverPort: 8443 }, T0 + 20).handshake().send('client', clientHello('').subarray(0, 60)).close();
    const { tls } = await read([dns, ...withSni.packets, ...noSni.packets], LINKTYPE.raw);
    expect(tls).toEqual([
      { device: '10.0.0.2', time: T0 + 13, host: 'sni.example.cn', sni: 'sni.example.cn', ip: '47.88.1.1', port: 443, ja4: JA4 },
      { device: '10.0.0.2', time: T0 + 23, host: 'api.example.cn', ip: '47.88.1.1', port: 8443, ja4: JA4 },
    ]);
  });

  it('uses DNS answers over TCP too, and the DNS name when a request has no Host header', async () => {
    const answer = dnsResponse('nohost.example', ['10.0.0.9']);
    const dnsTcp = new TcpConversation({ client: '10.0.0.2', clientPort: 40003, server: '10.0.0.53', serverPort: 53 }, T0)
      .handshake().send('server', Buffer.concat([Buffer.from([answer.length >> 8, answer.length & 0xff]), answer]), 2).close();
    const { flows } = await read([...dnsTcp.packets, ...oneGet('10.0.0.2', '10.0.0.9', { host: '', port: 8080 })], LINKTYPE.raw);
    expect(flows.map((f) => [f.url, f.destination.host])).toEqual([['http://nohost.example:8080/a?b=c', 'nohost.example']]);
  });

  it('falls back to the address when neither Host nor DNS names the server', async () => {
    const { flows } = await read(oneGet('10.0.0.2', '10.0.0.7', { host: '' }), LINKTYPE.raw);
    expect(flows.map((f) => f.url)).toEqual(['http://10.0.0.7/a?b=c']);
  });
});
