import { describe, expect, it } from 'vitest';
import { recogniseFormat } from '../../../appliance/src/detect/formats.js';
import type { Leaf } from '../../../appliance/src/detect/decode/types.js';
import { telemetry } from '../../support/flows.js';

const form = (pairs: Record<string, string>): Leaf[] => Object.entries(pairs).map(([k, v]) => ({ text: v, steps: [{ codec: 'form', at: k }] }));

describe('recogniseFormat', () => {
  it.each([
    ['Sensors Analytics gzip=1', form({ crc: '1', gzip: '1', data_list: 'H4sI' }), 'sensors-analytics', false],
    ['Sensors Analytics gzip=9', form({ crc: '1', gzip: '9', data_list: '[{}]' }), 'sensors-analytics (encrypted, gzip=9)', true],
    ['Sensors Analytics gzip=13', form({ crc: '1', gzip: '13', data_list: '[{}]' }), 'sensors-analytics (encrypted, gzip=13)', true],
    ['a Sensors JS batch', form({ data_list: 'eyJ9' }), 'sensors-analytics', false],
  ])('names %s', (_name, body, format, encrypted) => {
    expect(recogniseFormat(telemetry('https://sa.example.cn/sa', ''), body, [])).toEqual({ format, encrypted });
  });

  it('names ByteDance ttEncrypt by its flag or its magic bytes', () => {
    expect(recogniseFormat(telemetry('https://log.tiktokv.com/service/2/app_log/?tt_data=a&aid=1', ''), [], [])?.format).toBe('bytedance applog (ttEncrypt)');
    expect(recogniseFormat(telemetry('https://log.tiktokv.com/x', new Uint8Array([0x74, 0x63, 0x02, 0x01, 9, 9])), [], [])?.encrypted).toBe(true);
  });

  it('names a Sensors JS image beacon by data + ext=crc', () => {
    const query: Leaf[] = form({ data: 'eyJ9', ext: 'crc=123' });
    expect(recogniseFormat(telemetry('https://sa.example.cn/sa.gif?data=eyJ9&ext=crc%3D123', ''), [], query)).toEqual({ format: 'sensors-analytics (js)', encrypted: false });
  });

  it('leaves ordinary JSON unnamed', () => {
    expect(recogniseFormat(telemetry('https://api.example.com/v1', '{}'), [{ text: 'x', steps: [{ codec: 'json', at: '$.a' }] }], [])).toBeUndefined();
  });
});
