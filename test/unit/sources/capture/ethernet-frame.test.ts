import { describe, expect, it } from 'vitest';
import { frameParties } from '../../../../appliance/src/sources/capture/ethernet-frame.js';
import { TrafficCounters } from '../../../../appliance/src/sources/capture/traffic-counters.js';

const APPLIANCE = 'b8:27:eb:00:00:01';
const PHONE = 'da:a1:19:3c:4e:01';
const macBytes = (mac: string) => mac.split(':').map((h) => Number.parseInt(h, 16));

function frame(destination: string, source: string, etherType: number[], payload: number[]): Uint8Array {
  return Uint8Array.from([...macBytes(destination), ...macBytes(source), ...etherType, ...payload]);
}
const ipv4 = (src: number[], dst: number[]) => [0x45, 0, 0, 20, 0, 0, 0, 0, 64, 6, 0, 0, ...src, ...dst];
/** A TCP header to `port` with the given flags (0x02 SYN, 0x12 SYN+ACK, 0x10 ACK). */
const tcp = (port: number, flags: number) => [0x9c, 0x40, port >> 8, port & 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0];
const ipv6 = (src: number[], dst: number[]) => [0x60, 0, 0, 0, 0, 0, 6, 64, ...src, ...dst];
const v6 = (groups: number[]) => groups.flatMap((g) => [g >> 8, g & 0xff]);

describe('frame parties', () => {
  it('names the device and the address it sends to', () => {
    expect(frameParties(frame(APPLIANCE, PHONE, [0x08, 0x00], ipv4([10, 42, 0, 23], [8, 219, 10, 20])), APPLIANCE)).toEqual({ device: PHONE, direction: 'from-device', peer: '8.219.10.20', deviceIp: '10.42.0.23' });
  });

  it('names the device and the address it hears from, through a VLAN tag', () => {
    expect(frameParties(frame(PHONE, APPLIANCE, [0x81, 0x00, 0, 5, 0x08, 0x00], ipv4([8, 219, 10, 20], [10, 42, 0, 23])), APPLIANCE)).toEqual({ device: PHONE, direction: 'to-device', peer: '8.219.10.20', deviceIp: '10.42.0.23' });
  });

  it('writes IPv6 peers in their canonical compressed form', () => {
    const peer = v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
    expect(frameParties(frame(APPLIANCE, PHONE, [0x86, 0xdd], ipv6(v6([0xfd00, 0, 0, 0, 0, 0, 0, 0x23]), peer)), APPLIANCE)).toMatchObject({ peer: '2001:db8::1', deviceIp: 'fd00::23' });
  });

  it("counts a device's broadcasts (DHCP, ARP) as its own, without a peer for non-IP frames", () => {
    expect(frameParties(frame('ff:ff:ff:ff:ff:ff', PHONE, [0x08, 0x06], new Array(28).fill(0)), APPLIANCE)).toEqual({ device: PHONE, direction: 'from-device' });
  });

  it('notes the peer port of TCP frames, and the port of each connection the device opens (SYN without ACK), over IPv4 and IPv6', () => {
    expect(frameParties(frame(APPLIANCE, PHONE, [0x08, 0x00], [...ipv4([10, 42, 0, 23], [1, 1, 1, 1]), ...tcp(853, 0x02)]), APPLIANCE)).toEqual({ device: PHONE, direction: 'from-device', peer: '1.1.1.1', deviceIp: '10.42.0.23', opensTcpPort: 853, peerTcpPort: 853 });
    expect(frameParties(frame(APPLIANCE, PHONE, [0x08, 0x00], [...ipv4([10, 42, 0, 23], [1, 1, 1, 1]), ...tcp(853, 0x10)]), APPLIANCE)?.opensTcpPort).toBeUndefined();
    // The server's answer: no connection opened by the device, and the peer's port is the source port (40000 here).
    expect(frameParties(frame(PHONE, APPLIANCE, [0x08, 0x00], [...ipv4([1, 1, 1, 1], [10, 42, 0, 23]), ...tcp(40000, 0x12)]), APPLIANCE)).toMatchObject({ peerTcpPort: 40000 });
    expect(frameParties(frame(PHONE, APPLIANCE, [0x08, 0x00], [...ipv4([1, 1, 1, 1], [10, 42, 0, 23]), ...tcp(40000, 0x12)]), APPLIANCE)?.opensTcpPort).toBeUndefined();
    const peer = v6([0x2606, 0x4700, 0, 0, 0, 0, 0, 0x1111]);
    expect(frameParties(frame(APPLIANCE, PHONE, [0x86, 0xdd], [...ipv6(v6([0xfd00, 0, 0, 0, 0, 0, 0, 0x23]), peer), ...tcp(853, 0x02)]), APPLIANCE)?.opensTcpPort).toBe(853);
  });

  it('notes the destination port of UDP the device sends (QUIC on 443, DNS on 53), not of UDP it receives', () => {
    const udp = (port: number) => [0xc0, 0x00, port >> 8, port & 0xff, 0, 8, 0, 0];
    const udpIpv4 = (src: number[], dst: number[]) => [0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, ...src, ...dst];
    expect(frameParties(frame(APPLIANCE, PHONE, [0x08, 0x00], [...udpIpv4([10, 42, 0, 23], [142, 250, 1, 1]), ...udp(443)]), APPLIANCE)).toEqual({ device: PHONE, direction: 'from-device', peer: '142.250.1.1', deviceIp: '10.42.0.23', sendsUdpPort: 443 });
    expect(frameParties(frame(PHONE, APPLIANCE, [0x08, 0x00], [...udpIpv4([8, 8, 8, 8], [10, 42, 0, 23]), ...udp(53)]), APPLIANCE)?.sendsUdpPort).toBeUndefined();
    const counters = new TrafficCounters();
    counters.add({ device: PHONE, direction: 'from-device', peer: '142.250.1.1', sendsUdpPort: 443 }, 1200, 1);
    counters.add({ device: PHONE, direction: 'from-device', peer: '142.250.1.1', sendsUdpPort: 443 }, 1200, 2);
    counters.add({ device: PHONE, direction: 'from-device', peer: '8.8.8.8', sendsUdpPort: 53 }, 70, 3);
    expect(counters.of(PHONE).map((t) => [t.peer, t.quicPackets, t.dnsPackets])).toEqual([['142.250.1.1', 2, 0], ['8.8.8.8', 0, 1]]);
  });

  it('ignores frames between two other stations, and runts', () => {
    expect(frameParties(frame('02:00:00:00:00:02', PHONE, [0x08, 0x00], ipv4([1, 1, 1, 1], [2, 2, 2, 2])), APPLIANCE)).toBeUndefined();
    expect(frameParties(Uint8Array.of(1, 2, 3), APPLIANCE)).toBeUndefined();
  });
});

describe('traffic counters', () => {
  it('adds bytes and packets per device and peer, both ways, busiest peer first', () => {
    const counters = new TrafficCounters();
    counters.add({ device: PHONE, direction: 'from-device', peer: '8.219.10.20' }, 500, 1000);
    counters.add({ device: PHONE, direction: 'to-device', peer: '8.219.10.20' }, 1500, 1200);
    counters.add({ device: PHONE, direction: 'from-device', peer: '1.1.1.1', opensTcpPort: 853 }, 80, 900);
    counters.add({ device: PHONE, direction: 'from-device', peer: '1.1.1.1', opensTcpPort: 853 }, 0, 900);
    counters.add({ device: PHONE, direction: 'from-device' }, 60, 900);
    expect(counters.of(PHONE)).toEqual([
      { peer: '8.219.10.20', bytesOut: 500, bytesIn: 1500, packetsOut: 1, packetsIn: 1, tcpPorts: [], dnsOverTlsAttempts: 0, quicPackets: 0, dnsPackets: 0, firstSeen: 1000, lastSeen: 1200 },
      { peer: '1.1.1.1', bytesOut: 80, bytesIn: 0, packetsOut: 2, packetsIn: 0, tcpPorts: [853], dnsOverTlsAttempts: 2, quicPackets: 0, dnsPackets: 0, firstSeen: 900, lastSeen: 900 },
    ]);
    expect(counters.of(PHONE, (ip) => (ip === '1.1.1.1' ? 'one.one.one.one' : undefined))[1]).toMatchObject({ name: 'one.one.one.one' });
    expect(counters.of('nobody')).toEqual([]);
  });
});
