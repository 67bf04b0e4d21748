import { describe, expect, it } from 'vitest';
import type { Flow } from '../../../../appliance/src/model/index.js';
import { ReorderBuffer } from '../../../../appliance/src/sources/import/reorder.js';

const flow = (id: string, time: number, bodyBytes = 0): Flow => ({
  id, device: 'd', time, method: 'GET', url: 'https://a.example/', headers: [], body: new Uint8Array(bodyBytes),
  destination: { host: 'a.example', port: 443 }, source: 'har', initiator: {},
});

/** Runs flows (as [id, time, bodyBytes?]) through a buffer and returns the ids in the order they came out. */
function run(maxFlows: number, maxBodyBytes: number, input: [string, number, number?][]): { ids: string[]; outAfterEachAdd: number[] } {
  const buffer = new ReorderBuffer(maxFlows, maxBodyBytes);
  const out: Flow[] = [];
  const outAfterEachAdd: number[] = [];
  for (const [id, time, bytes] of input) {
    buffer.add(flow(id, time, bytes), out);
    outAfterEachAdd.push(out.length);
  }
  buffer.drain(out);
  return { ids: out.map((f) => f.id), outAfterEachAdd };
}

describe('ReorderBuffer', () => {
  it('sorts flows that are out of order within the window', () => {
    expect(run(4, 1e6, [['a', 30], ['b', 10], ['c', 20], ['d', 50], ['e', 40]]).ids).toEqual(['b', 'c', 'a', 'e', 'd']);
  });

  it('keeps file order for flows with the same time', () => {
    expect(run(8, 1e6, [['a', 10], ['b', 5], ['c', 10], ['d', 5], ['e', 10]]).ids).toEqual(['b', 'd', 'a', 'c', 'e']);
  });

  it('holds no more than the window: the earliest flow leaves when it is full', () => {
    expect(run(2, 1e6, [['a', 1], ['b', 2], ['c', 3], ['d', 4]]).outAfterEachAdd).toEqual([0, 0, 1, 2]);
  });

  it('lets a flow older than the whole window through late rather than holding more', () => {
    expect(run(2, 1e6, [['a', 10], ['b', 20], ['c', 30], ['d', 1]]).ids).toEqual(['a', 'd', 'b', 'c']);
  });

  it('keeps file order with a window of 0', () => {
    expect(run(0, 1e6, [['a', 30], ['b', 10], ['c', 20]])).toEqual({ ids: ['a', 'b', 'c'], outAfterEachAdd: [1, 2, 3] });
  });

  it('releases flows early when their bodies pass the byte limit, but never the last one alone', () => {
    expect(run(100, 1000, [['a', 1, 600], ['b', 2, 600], ['c', 3, 10], ['d', 4, 5000]]).outAfterEachAdd).toEqual([0, 1, 1, 3]);
  });
});
