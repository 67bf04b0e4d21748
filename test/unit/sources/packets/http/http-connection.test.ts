import { describe, expect, it } from 'vitest';
import type { Flow } from '../../../../../appliance/src/model/index.js';
import { HttpConnection } from '../../../../../appliance/src/sources/packets/http/http-connection.js';

function connection() {
  const flows: Flow[] = [];
  const problems: string[] = [];
  let n = 0;
  const c = new HttpConnection({ clientIp: '10.0.0.2', clientPort: 40000, serverIp: '10.0.0.1', serverPort: 80 }, {
    nextFlowId: () => `t:${++n}`, nameOf: () => undefined, maxBodyBytes: 1024, emit: (f) => flows.push(f), problem: (r) => problems.push(r),
  });
  return { c, flows, problems };
}

const request = (i: number) => Buffer.from(`POST /${i} HTTP/1.1\r\nHost: h.example\r\nContent-Length: 3\r\n\r\nabc`);

describe('HttpConnection', () => {
  it('holds at most 32 complete requests for responses that never come (a capture of one direction)', () => {
    const { c, flows } = connection();
    for (let i = 0; i < 40; i++) c.client.data(request(i), i);
    expect(flows.map((f) => f.url)).toEqual(Array.from({ length: 8 }, (_, i) => `http://h.example/${i}`));
    c.close();
    expect(flows).toHaveLength(40);
  });

  it('pairs a response that arrived before its request (delayed request packets)', () => {
    const { c, flows } = connection();
    c.server.data(Buffer.from('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n'), 2);
    c.client.data(request(1), 1);
    expect(flows.map((f) => [f.url, f.response?.status])).toEqual([['http://h.example/1', 404]]);
  });

  it('accepts bare-LF heads from lax clients and empty lines between requests', () => {
    const { c, flows, problems } = connection();
    c.client.data(Buffer.from('\r\nGET /lf HTTP/1.0\nHost: h.example\n\n'), 1);
    c.close();
    expect([flows.map((f) => [f.url, f.httpVersion]), problems]).toEqual([[['http://h.example/lf', 'HTTP/1.0']], []]);
  });

  it('says so when bytes of the request stream are missing, and keeps the request read so far', () => {
    const { c, flows, problems } = connection();
    c.client.data(Buffer.from('POST /gap HTTP/1.1\r\nHost: h.example\r\nContent-Length: 10\r\n\r\nab'), 1);
    c.client.gap(5);
    c.close();
    expect(flows.map((f) => [f.url, Buffer.from(f.body).toString(), f.bodyTruncated])).toEqual([['http://h.example/gap', 'ab', true]]);
    expect(problems).toEqual(['5 bytes of the request stream are missing from the capture; the rest of this connection was skipped']);
  });
});
