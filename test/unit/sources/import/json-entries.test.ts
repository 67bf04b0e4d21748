import { describe, expect, it } from 'vitest';
import { EntryScanner, ScanError } from '../../../../appliance/src/sources/import/json-entries.js';

/** Feeds `text` in chunks of `size` bytes and returns each entry's text, index and the scanner. */
function scan(text: string | Buffer, size: number): { entries: { index: number; text: string }[]; scanner: EntryScanner } {
  const scanner = new EntryScanner();
  const entries: { index: number; text: string }[] = [];
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  for (let i = 0; i < bytes.length; i += size) {
    // Copy the chunk: entries must be usable even though the scanner never sees this memory again.
    scanner.push(Buffer.from(bytes.subarray(i, i + size)), (e) => entries.push({ index: e.index, text: e.bytes.toString('utf8') }));
  }
  scanner.finish();
  return { entries, scanner };
}

function scanError(text: string, size = 64): ScanError {
  try {
    scan(text, size);
  } catch (error) {
    if (error instanceof ScanError) return error;
    throw error;
  }
  throw new Error('expected a ScanError');
}

const CHUNK_SIZES = [1, 2, 3, 7, 64, 1 << 16];

const documents: [string, string, unknown[]][] = [
  ['braces and brackets inside strings', '{"log":{"entries":[{"a":"}]{[,:"},{"b":"]"}]}}', [{ a: '}]{[,:' }, { b: ']' }]],
  ['escaped quotes inside strings', '{"log":{"entries":[{"a":"say \\"}\\" now"}]}}', [{ a: 'say "}" now' }]],
  ['an escaped backslash right before the closing quote', '{"log":{"entries":[{"a":"dir\\\\"},{"b":"\\\\\\\\"}]}}', [{ a: 'dir\\' }, { b: '\\\\' }]],
  ['an escaped backslash and an escaped quote in a row', '{"log":{"entries":[{"a":"\\\\\\"}"}]}}', [{ a: '\\"}' }]],
  ['multi-byte UTF-8 (2, 3 and 4 bytes)', '{"log":{"entries":[{"q":"ü€𝄞 北京"}]}}', [{ q: 'ü€𝄞 北京' }]],
  ['pages after entries', '{"log":{"entries":[{"n":1}],"pages":[{"id":"p1","entries":[{"n":2}]}]}}', [{ n: 1 }]],
  ['pages before entries, with an entries key inside', '{"log":{"pages":[{"id":"p1","entries":[{"n":2}]}],"entries":[{"n":1}]}}', [{ n: 1 }]],
  ['an entries key inside another log member', '{"log":{"creator":{"entries":[{"n":9}]},"entries":[{"n":1}]}}', [{ n: 1 }]],
  ['deep nesting inside an entry, with an entries key in it', '{"log":{"entries":[{"request":{"a":[[{"entries":[{"x":"]}"}]}]]},"n":1}]}}', [{ request: { a: [[{ entries: [{ x: ']}' }] }]] }, n: 1 }]],
  ['a response body under response.content only, not under other text keys', '{"log":{"entries":[{"response":{"text":"kept","content":{"text":"gone"}},"text":"kept"}]}}', [{ response: { text: 'kept', content: { text: '' } }, text: 'kept' }]],
  ['an entries key at the top level', '{"entries":[{"n":9}],"log":{"entries":[{"n":1}]}}', [{ n: 1 }]],
  ['"entries":[ inside a string in an entry', '{"log":{"entries":[{"body":"{\\"log\\":{\\"entries\\":[{}]}}"},{"n":2}]}}', [{ body: '{"log":{"entries":[{}]}}' }, { n: 2 }]],
  ['whitespace everywhere', ' \r\n{ "log" :\t{ "entries" :\n [ { "n" : 1 } ,\n { "n" : 2 } ] } }\n', [{ n: 1 }, { n: 2 }]],
  ['log keys in another order, with numbers and literals', '{"log":{"version":"1.2","_n":-1.5e3,"_t":true,"_x":null,"entries":[{"n":1,"ok":false}]}}', [{ n: 1, ok: false }]],
  ['an empty entries array', '{"log":{"version":"1.2","entries":[]}}', []],
  ['a UTF-8 byte order mark', '\uFEFF{"log":{"entries":[{"n":1}]}}', [{ n: 1 }]],
];

describe('EntryScanner', () => {
  describe.each(CHUNK_SIZES)('in chunks of %i bytes', (size) => {
    it.each(documents)('cuts entries out right with %s', (_name, text, expected) => {
      expect(scan(text, size).entries.map((e) => JSON.parse(e.text))).toEqual(expected);
    });

    it('leaves response bodies out of the entry, keeping its other fields', () => {
      const text = '{"log":{"entries":[{"request":{"url":"u"},"response":{"status":200,"content":{"text":"x\\"}]\\\\","mimeType":"text/html"}}}]}}';
      expect(scan(text, size).entries.map((e) => JSON.parse(e.text))).toEqual([{ request: { url: 'u' }, response: { status: 200, content: { text: '', mimeType: 'text/html' } } }]);
    });
  });

  it('keeps request bodies called text (only response.content.text is left out)', () => {
    const text = '{"log":{"entries":[{"request":{"postData":{"text":"keep"}},"content":{"text":"keep too"}}]}}';
    expect(scan(text, 5).entries.map((e) => JSON.parse(e.text))).toEqual([{ request: { postData: { text: 'keep' } }, content: { text: 'keep too' } }]);
  });

  it('numbers entries by their place in the array, counting elements that are not objects', () => {
    const { entries } = scan('{"log":{"entries":[{"n":0},"oops",42,null,{"n":4},[1]]}}', 3);
    expect(entries).toEqual([
      { index: 0, text: '{"n":0}' },
      { index: 1, text: 'null' },
      { index: 2, text: 'null' },
      { index: 3, text: 'null' },
      { index: 4, text: '{"n":4}' },
      { index: 5, text: '[1]' },
    ]);
  });

  it('notes data after the document without failing', () => {
    expect(scan('{"log":{"entries":[]}}\n{"more":1}', 4).scanner.trailingData).toBe(true);
    expect(scan('{"log":{"entries":[]}}\n \n', 4).scanner.trailingData).toBe(false);
  });

  it.each([
    ['an empty file', '', 'not-json', 'the file is empty'],
    ['white space only', ' \n ', 'not-json', 'the file is empty'],
    ['an HTML page', '<!DOCTYPE html><html><body>', 'not-json', "the file starts with '<!DOCTYPE html><'"],
    ['a JSON array', '[{"log":{"entries":[]}}]', 'not-json', "the file starts with '[{\"log\":{\"entrie'"],
    ['an object without log', '{"version":"1.2"}', 'no-entries', 'no log.entries array'],
    ['log without entries', '{"log":{"version":"1.2","pages":[]}}', 'no-entries', 'no log.entries array'],
    ['entries that is not an array', '{"log":{"entries":{"n":1}}}', 'no-entries', 'no log.entries array'],
    ['a file cut inside an entry', '{"log":{"entries":[{"n":0},{"n":1},{"n":', 'truncated', 'file ends inside entry 2 — read 2 entries; the file looks truncated'],
    ['a file cut inside a string', '{"log":{"entries":[{"n":"ab', 'truncated', 'file ends inside entry 0 — read 0 entries; the file looks truncated'],
    ['a file cut between entries', '{"log":{"entries":[{"n":0},', 'truncated', 'file ends before the end of the document — read 1 entry; the file looks truncated'],
    ['a bracket that closes nothing', '{"log":{"entries":[{"n":0}]]}}', 'syntax', "a ']' that closes nothing open"],
    ['a bracket that closes the wrong thing inside a header list', '{"log":{"entries":[{"request":{"headers":[{"name":"a"}}}]}}', 'syntax', "a '}' that closes nothing open"],
    ['log that is an array', '{"log":[{"entries":[{"n":1}]}]}', 'no-entries', 'no log.entries array'],
  ])('refuses %s', (_name, text, kind, message) => {
    const error = scanError(text);
    expect({ kind: error.kind, message: error.message }).toEqual({ kind, message });
  });

  it('hands over entries before the fault of a truncated file', () => {
    const scanner = new EntryScanner();
    const seen: number[] = [];
    scanner.push(Buffer.from('{"log":{"entries":[{"n":0},{"n":1},{"n":'), (e) => seen.push(e.index));
    expect(seen).toEqual([0, 1]);
    expect(() => scanner.finish()).toThrow(ScanError);
  });

  it('holds only the entry being cut, never a response body: 40 MB of body, at most a few kB held', () => {
    const body = 'x'.repeat(40 * 1024 * 1024);
    const small = (n: number) => `{"request":{"url":"https://s.example/${n}"},"response":{"content":{"text":"small"}}}`;
    const text = `{"log":{"entries":[${small(0)},{"request":{"url":"https://big.example/"},"response":{"content":{"text":"${body}"}}},${small(2)}]}}`;
    const bytes = Buffer.from(text);
    const scanner = new EntryScanner();
    const urls: string[] = [];
    let maxHeld = 0;
    for (let i = 0; i < bytes.length; i += 65536) {
      scanner.push(bytes.subarray(i, i + 65536), (e) => urls.push((JSON.parse(e.bytes.toString()) as { request: { url: string } }).request.url));
      maxHeld = Math.max(maxHeld, scanner.heldBytes);
    }
    scanner.finish();
    expect(urls).toEqual(['https://s.example/0', 'https://big.example/', 'https://s.example/2']);
    expect(maxHeld).toBeLessThan(4096);
  });
});
