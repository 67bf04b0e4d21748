import { describe, expect, it } from 'vitest';
import type { Target } from '../../../../appliance/src/sources/proxy/flow-recorder.js';
import { parseHostHeader, targetWithHost } from '../../../../appliance/src/sources/proxy/host-header.js';

describe('parseHostHeader', () => {
  it.each([
    ['News.Example', { host: 'news.example' }],
    ['news.example:8080', { host: 'news.example', port: 8080 }],
    ['10.99.0.20:80', { host: '10.99.0.20', port: 80 }],
    ['[2001:db8::1]:443', { host: '2001:db8::1', port: 443 }],
    ['[2001:db8::1]', { host: '2001:db8::1' }],
    ['news.example:70000', undefined],
    ['user@news.example', undefined],
    ['', undefined],
    ['a b', undefined],
    [undefined, undefined],
  ])('%j → %j', (value, expected) => {
    expect(parseHostHeader(value)).toEqual(expected);
  });
});

describe('targetWithHost', () => {
  const redirected: Target = { scheme: 'http', host: '', port: 80, connectTo: '10.99.0.20' };
  const unknown: Target = { scheme: 'http', host: '', port: 80 };
  const tunnel: Target = { scheme: 'http', host: 'tunnel.example', port: 8000 };

  it.each([
    ['the socket gave the destination: Host names it, the port stays', redirected, 'news.example:8080', { ...redirected, host: 'news.example' }],
    ['no destination from the socket: Host gives name and port', unknown, 'news.example:8080', { ...unknown, host: 'news.example', port: 8080 }],
    ['no destination and no port in Host: the default port', unknown, 'news.example', { ...unknown, host: 'news.example' }],
    ['no Host: the original address', redirected, undefined, { ...redirected, host: '10.99.0.20' }],
    ['a CONNECT target is kept whatever Host says', tunnel, 'other.example:1', tunnel],
    ['nothing to go on', unknown, undefined, undefined],
    ['no connection target', undefined, 'news.example', undefined],
  ] as const)('%s', (_name, target, header, expected) => {
    expect(targetWithHost(target, header)).toEqual(expected);
  });
});
