import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { eventRoutes } from '../../../appliance/src/api/routes/events.js';
import type { ListedAlert } from '../../../appliance/src/store/index.js';
import { alert, flowFor } from '../store/samples.js';
import { testApi } from './app.js';
import type { TestApi } from './app.js';

interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/** A live-alert stream over a real socket, read event by event. */
class Stream {
  readonly events: SseEvent[] = [];
  private buffer = '';
  private res: IncomingMessage | undefined;

  constructor(port: number, headers: Record<string, string>, path = '/api/events') {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      this.res = res;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        this.buffer += chunk;
        let end: number;
        while ((end = this.buffer.indexOf('\n\n')) >= 0) {
          const block = this.buffer.slice(0, end);
          this.buffer = this.buffer.slice(end + 2);
          const event: SseEvent = { event: 'message', data: '' };
          for (const line of block.split('\n')) {
            const [field, ...rest] = line.split(': ');
            const value = rest.join(': ');
            if (field === 'id') event.id = value;
            else if (field === 'event') event.event = value;
            else if (field === 'data') event.data = value;
          }
          if (block.split('\n').some((l) => l.startsWith('data'))) this.events.push(event);
        }
      });
    });
    req.end();
  }

  get contentType(): string | undefined {
    return this.res?.headers['content-type'];
  }

  async waitFor(count: number, ms = 5000): Promise<SseEvent[]> {
    for (let waited = 0; this.events.length < count; waited += 10) {
      if (waited > ms) throw new Error(`only ${this.events.length} events within ${ms} ms: ${JSON.stringify(this.events)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.events;
  }

  close(): void {
    this.res?.destroy();
  }
}

let t: TestApi | undefined;
const streams: Stream[] = [];
afterEach(async () => {
  for (const s of streams.splice(0)) s.close();
  await t?.close();
  t = undefined;
});

async function listening(): Promise<number> {
  t = await testApi();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  return (t.app.server.address() as AddressInfo).port;
}

function store(n: number): void {
  const a = alert(`s${n}`, n);
  t!.store.record(flowFor(a), [a], undefined);
  t!.live.emit('alert', a);
}

const open = (port: number, headers: Record<string, string> = {}, path?: string) => {
  const s = new Stream(port, { cookie: t!.cookie, ...headers }, path);
  streams.push(s);
  return s;
};
const ids = (events: SseEvent[]) => events.filter((e) => e.event === 'alert').map((e) => (JSON.parse(e.data) as ListedAlert).id);

describe('live alerts (Server-Sent Events)', () => {
  it('sends alerts stored after it connected, each with its seq as the event id', async () => {
    const port = await listening();
    store(0);
    const s = open(port);
    await new Promise((r) => setTimeout(r, 100));
    store(1);
    store(2);
    const events = await s.waitFor(2);
    expect(events.map((e) => [e.id, e.event])).toEqual([['2', 'alert'], ['3', 'alert']]);
    expect(ids(events)).toEqual(['s1', 's2']);
    expect(s.contentType).toBe('text/event-stream; charset=utf-8');
  });

  it('catches a reconnecting page up from Last-Event-ID (or ?since=), oldest first, then goes on live', async () => {
    const port = await listening();
    for (let n = 0; n < 5; n++) store(n);
    const resumed = open(port, { 'last-event-id': '2' });
    expect(ids(await resumed.waitFor(3))).toEqual(['s2', 's3', 's4']);
    store(5);
    expect(ids(await resumed.waitFor(4))).toEqual(['s2', 's3', 's4', 's5']);
    const bySince = open(port, {}, '/api/events?since=4');
    expect(ids(await bySince.waitFor(2))).toEqual(['s4', 's5']);
  });

  it('tells a page whose last id is beyond the newest alert (the store was emptied) to reload, then goes on', async () => {
    const port = await listening();
    store(0);
    const s = open(port, { 'last-event-id': '40' });
    const [reset] = await s.waitFor(1);
    expect(reset).toEqual({ id: '1', event: 'reset', data: '{"seq":1}' });
    store(1);
    expect(ids(await s.waitFor(2))).toEqual(['s1']);
  });

  it('tells a page that missed more than it can catch up on to reload its list', async () => {
    const port = await listening();
    const a = alert('many', 0);
    const batch = Array.from({ length: 600 }, (_, n) => ({ flow: flowFor({ ...a, id: `m${n}`, flow: { ...a.flow, id: `f${n}` } }), alerts: [{ ...a, id: `m${n}`, flow: { ...a.flow, id: `f${n}` } }] }));
    t!.store.recordMany(batch, undefined);
    const s = open(port, { 'last-event-id': '1' });
    const [first] = await s.waitFor(1);
    expect(first).toEqual({ id: '600', event: 'reset', data: '{"seq":600}' });
  });

  it('sends a heartbeat a sleeping phone can notice the loss of', async () => {
    const app = Fastify();
    const t2 = await testApi();
    await eventRoutes(app, { store: t2.store, live: t2.live, heartbeatMs: 50 });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const s = new Stream((app.server.address() as AddressInfo).port, {});
      streams.push(s);
      const events = await s.waitFor(2);
      expect(events.map((e) => e.event)).toEqual(['heartbeat', 'heartbeat']);
      expect(JSON.parse(events[0]!.data)).toEqual({ time: expect.any(Number) });
    } finally {
      for (const s of streams.splice(0)) s.close();
      await app.close();
      await t2.close();
    }
  });
});
