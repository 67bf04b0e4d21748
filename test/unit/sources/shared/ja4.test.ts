import { describe, expect, it } from 'vitest';
import { parseClientHello } from '../../../../appliance/src/sources/shared/client-hello.js';
import { isGrease, ja4 } from '../../../../appliance/src/sources/shared/ja4.js';

interface HelloSpec {
  ciphers: number[];
  /** Extension type → body; SNI, ALPN, signature algorithms and supported versions are built from the fields below. */
  extensions: number[];
  sni?: string;
  alpn?: string[];
  signatureAlgorithms?: number[];
  supportedVersions?: number[];
}

const u16 = (v: number) => [v >> 8, v & 0xff];
const withLength16 = (bytes: number[]) => [...u16(bytes.length), ...bytes];

/** A ClientHello record as a client sends it, for the extension order given. */
function clientHello(spec: HelloSpec): Uint8Array {
  const body = (type: number): number[] => {
    switch (type) {
      case 0x0000: {
        const name = [...Buffer.from(spec.sni ?? '')];
        return withLength16([0, ...withLength16(name)]);
      }
      case 0x0010:
        return withLength16((spec.alpn ?? []).flatMap((p) => [p.length, ...Buffer.from(p, 'latin1')]));
      case 0x000d:
        return withLength16((spec.signatureAlgorithms ?? []).flatMap(u16));
      case 0x002b: {
        const versions = (spec.supportedVersions ?? []).flatMap(u16);
        return [versions.length, ...versions];
      }
      default:
        return [];
    }
  };
  const extensions = spec.extensions.flatMap((type) => [...u16(type), ...withLength16(body(type))]);
  const hello = [...u16(0x0303), ...new Array(32).fill(7), 0, ...withLength16(spec.ciphers.flatMap(u16)), 1, 0, ...withLength16(extensions)];
  const handshake = [1, 0, ...u16(hello.length), ...hello];
  return Uint8Array.from([0x16, 3, 1, ...u16(handshake.length), ...handshake]);
}

// Chrome 143 on Android as browserleaks.com saw it (ja4_ro: ciphers, extensions and signature
// algorithms in wire order), plus the GREASE values Chrome adds, which JA4 must ignore.
const chrome = {
  ciphers: [0x2a2a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035],
  extensions: [0x8a8a, 0x002d, 0x0033, 0x0010, 0xfe0d, 0x0017, 0x44cd, 0x0000, 0x000b, 0x000a, 0x002b, 0xff01, 0x0023, 0x0012, 0x0005, 0x000d, 0x001b, 0x3a3a],
  sni: 'tls.browserleaks.com',
  alpn: ['h2', 'http/1.1'],
  signatureAlgorithms: [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601],
  supportedVersions: [0x5a5a, 0x0304, 0x0303],
};

describe('JA4', () => {
  it("gives Chrome's published fingerprint, GREASE ignored", () => {
    expect(ja4(parseClientHello(clientHello(chrome))!)).toBe('t13d1516h2_8daaf6152771_d8a2da3f94cd');
  });

  it('is the same whatever order the extensions come in (Chrome shuffles them per connection)', () => {
    const shuffled = { ...chrome, extensions: [...chrome.extensions].reverse() };
    expect(ja4(parseClientHello(clientHello(shuffled))!)).toBe('t13d1516h2_8daaf6152771_d8a2da3f94cd');
  });

  it('marks a hello without SNI or ALPN, and takes the version from the handshake without supported_versions', () => {
    const bare = ja4(parseClientHello(clientHello({ ciphers: [0xc02f, 0x009c], extensions: [0x000a, 0x000b, 0x000d], signatureAlgorithms: [0x0401] }))!);
    expect(bare).toMatch(/^t12i020300_[0-9a-f]{12}_[0-9a-f]{12}$/);
  });

  it('uses the hex of an ALPN value whose first or last character is not alphanumeric, and zeros for empty lists', () => {
    // 'h2\xff' is 68 32 ff in hex: first and last hex digits 6 and f.
    const odd = ja4(parseClientHello(clientHello({ ciphers: [], extensions: [0x0010], alpn: ['h2\u00ff'] }))!);
    expect(odd).toBe('t12i00016f_000000000000_000000000000');
  });

  it('knows the GREASE values', () => {
    expect([0x0a0a, 0x1a1a, 0xfafa].every(isGrease)).toBe(true);
    expect([0x0a1a, 0x1301, 0x0000].some(isGrease)).toBe(false);
  });
});
