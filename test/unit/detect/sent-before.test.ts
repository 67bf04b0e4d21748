import { describe, expect, it } from 'vitest';
import { SentBefore, sentKeys, spellingsOf } from '../../../appliance/src/detect/sent-before.js';

describe('what an app sent before', () => {
  it('keeps whole values and the URL and host spellings inside short lists', () => {
    expect(sentKeys('news')).toEqual(['news']);
    expect(sentKeys('https://www.bbc.com/news?a=b+c#x')).toEqual(expect.arrayContaining(['https://www.bbc.com/news?a=b+c#x', 'https://www.bbc.com/news?a=b c#x', 'https://www.bbc.com/news?a=b+c', 'www.bbc.com', 'bbc.com']));
    expect(sentKeys('facebook.com,www.twitter.com;www.bbc.com')).toEqual(expect.arrayContaining(['facebook.com', 'www.twitter.com', 'twitter.com', 'www.bbc.com', 'bbc.com']));
    expect(sentKeys('x'.repeat(600))).toEqual([]);
  });

  it('answers only for values first sent before the cut-off, per destination', () => {
    const sent = new SentBefore();
    sent.note('miui.com', ['www.bbc.com', 'news'], 1000);
    sent.note('miui.com', ['www.bbc.com'], 5000);
    expect(sent.sentBefore('miui.com', spellingsOf('host', 'www.bbc.com'), 2000)).toBe(true);
    expect(sent.sentBefore('miui.com', spellingsOf('host', 'bbc.com'), 2000)).toBe(true);
    expect(sent.sentBefore('miui.com', spellingsOf('search', 'News'), 2000)).toBe(true);
    // First seen at 1000: not before a cut-off at 1000.
    expect(sent.sentBefore('miui.com', spellingsOf('host', 'www.bbc.com'), 1000)).toBe(false);
    expect(sent.sentBefore('umeng.com', spellingsOf('host', 'www.bbc.com'), 2000)).toBe(false);
    expect(sent.sentBefore('miui.com', spellingsOf('url', 'https://www.bbc.com/news/x'), 9000)).toBe(false);
  });

  it('is bounded: the least recently sent go first, a list sent again and again stays', () => {
    const sent = new SentBefore({ destinations: 2, valuesPerDestination: 3 });
    sent.note('a.com', ['keep'], 1);
    for (let i = 0; i < 10; i++) sent.note('a.com', [`v${i}`, 'keep'], 2 + i);
    expect(sent.sentBefore('a.com', ['keep'], 100)).toBe(true);
    expect(sent.sentBefore('a.com', ['v0'], 100)).toBe(false);
    sent.note('b.com', ['x'], 1);
    sent.note('c.com', ['x'], 1);
    expect(sent.sentBefore('a.com', ['keep'], 100)).toBe(false);
    expect(sent.sentBefore('c.com', ['x'], 100)).toBe(true);
  });
});
