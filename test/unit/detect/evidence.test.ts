import { describe, expect, it } from 'vitest';
import { excerptAround } from '../../../appliance/src/detect/evidence.js';

describe('excerptAround', () => {
  it('keeps plain text as it is and points the highlight at the match', () => {
    const text = 'event=page_view&url=https://www.bbc.com/news/1&tab=news';
    const start = text.indexOf('https');
    const { excerpt, highlight } = excerptAround(text, start, start + 26);
    expect(excerpt).toBe(text);
    expect(excerpt.slice(highlight[0], highlight[1])).toBe('https://www.bbc.com/news/1');
  });

  it('shows binary framing as · so an excerpt never garbles a terminal, keeping tabs and newlines', () => {
    const text = '\u0000\u0001page_view\u0001https://www.bbc.com/\t\n\u001b[31m';
    const start = text.indexOf('https');
    const { excerpt, highlight } = excerptAround(text, start, start + 20);
    expect(excerpt).toBe('··page_view·https://www.bbc.com/\t\n·[31m');
    expect(excerpt.slice(highlight[0], highlight[1])).toBe('https://www.bbc.com/');
  });

  it('cuts long text to a window around the match, marked with …', () => {
    const text = `${'a'.repeat(500)}MATCH${'\u0002'.repeat(500)}`;
    const { excerpt, highlight } = excerptAround(text, 500, 505);
    expect(excerpt).toBe(`…${'a'.repeat(80)}MATCH${'·'.repeat(80)}…`);
    expect(excerpt.slice(highlight[0], highlight[1])).toBe('MATCH');
  });
});
