import { describe, expect, it } from 'vitest';
import { decodeIp } from '../../../../appliance/src/sources/packets/ip.js';
import type { IpPacket } from '../../../../appliance/src/sources/packets/ip.js';
import { TcpTracker } from '../../../../appliance/src/sources/packets/tcp-tracker.js';
import type { ConnectionEnds } from '../../../../appliance/src/sources/packets/connection-info.js';
import { decodeTcp } from '../../../../appliance/src/sources/packets/transport.js';
import { TcpConversation } from '../../../fixtures/pcap/tcp-conversation.js';
import type { IpAt } from '../../../fixtures/pcap/tcp-conversation.js';

/** A tracker whose handlers record what they got, and the order connections closed in. */
function tracker(limits = { idleMs: 60_000, maxConnections: 100, maxHeldBytes: 1 << 20 }) {
  const log: string[] = [];
  const t = new TcpTracker((ends: ConnectionEnds) => {
    const name = `${ends.clientIp}:${ends.clientPort}>${ends.serverPort}`;
    log.push(`open ${name}`);
    return {
      client: { data: (b) => log.push(`${name} client ${Buffer.from(b).toString()}`), gap: () => {} },
      server: { data: (b) => log.push(`${name} server ${Buffer.from(b).toString()}`), gap: () => {} },
      close: () => log.push(`close ${name}`),
    };
  }, limits);
  const feed = (packets: IpAt[]) => {
    for (const p of packets) {
      const ip = decodeIp(p.ip) as IpPacket;
      t.segment(p.time, ip, decodeTcp(ip.payload)!);
    }
  };
  return { t, log, feed };
}

const conn = (clientPort: number, time: number) => new TcpConversation({ client: '10.0.0.2', clientPort, server: '10.0.0.1', serverPort: 80 }, time);

describe('TcpTracker', () => {
  it('frees a connection once both sides sent FIN', () => {
    const { t, log, feed } = tracker();
    feed(conn(40000, 0).handshake().send('client', 'hi').close().packets);
    expect([t.size, log]).toEqual([0, ['open 10.0.0.2:40000>80', '10.0.0.2:40000>80 client hi', 'close 10.0.0.2:40000>80']]);
  });

  it('frees a connection on RST', () => {
    const { t, log, feed } = tracker();
    feed(conn(40000, 0).handshake().send('client', 'hi').reset('server').packets);
    expect([t.size, log.at(-1)]).toEqual([0, 'close 10.0.0.2:40000>80']);
  });

  it('frees idle connections as capture time passes', () => {
    const { t, log, feed } = tracker();
    feed(conn(40000, 0).handshake().send('client', 'idle').packets);
    feed(conn(40001, 30_000).handshake().packets);
    expect(t.size).toBe(2);
    feed(conn(40002, 70_000).handshake().packets);
    expect([t.size, log.filter((l) => l.startsWith('close'))]).toEqual([2, ['close 10.0.0.2:40000>80']]);
  });

  it('closes the oldest connection when too many are open', () => {
    const { t, log, feed } = tracker({ idleMs: 60_000, maxConnections: 3, maxHeldBytes: 1 << 20 });
    for (let i = 0; i < 5; i++) feed(conn(40000 + i, i).handshake().packets);
    expect([t.size, log.filter((l) => l.startsWith('close'))]).toEqual([3, ['close 10.0.0.2:40000>80', 'close 10.0.0.2:40001>80']]);
  });

  it('treats a new SYN on the same ports as a new connection, and a repeated SYN as the same one', () => {
    const { log, feed } = tracker();
    const first = conn(40000, 0).handshake().send('client', 'one');
    feed([...first.packets, first.packets[0]!]);
    feed(new TcpConversation({ client: '10.0.0.2', clientPort: 40000, server: '10.0.0.1', serverPort: 80, clientIsn: 777 }, 10).handshake().send('client', 'two').packets);
    expect(log).toEqual(['open 10.0.0.2:40000>80', '10.0.0.2:40000>80 client one', 'close 10.0.0.2:40000>80', 'open 10.0.0.2:40000>80', '10.0.0.2:40000>80 client two']);
  });

  it('takes the SYN-ACK sender as the server, and without any SYN the higher port as the client', () => {
    const { log, feed } = tracker();
    const c = conn(40000, 0).handshake().send('server', 'banner');
    feed(c.packets.slice(1));
    const mid = conn(40001, 0).handshake().send('server', 'late');
    feed(mid.packets.slice(3));
    expect(log).toEqual(['open 10.0.0.2:40000>80', '10.0.0.2:40000>80 server banner', 'open 10.0.0.2:40001>80', '10.0.0.2:40001>80 server late']);
  });
});
