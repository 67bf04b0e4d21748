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

  it('keeps at most its limit per destination, and always the most recent half of it', () => {
    const sent = new SentBefore({ destinations: 2, valuesPerDestination: 10 });
    for (let i = 0; i < 100; i++) sent.note('a.com', [`value${i}`], i);
    const kept = Array.from({ length: 100 }, (_, i) => sent.sentBefore('a.com', [`value${i}`], 1000));
    expect(kept.filter(Boolean).length).toBeLessThanOrEqual(10);
    expect(kept.slice(95)).toEqual([true, true, true, true, true]);
    expect(kept.slice(0, 90).some(Boolean)).toBe(false);
  });

  it('keeps the time a value was first sent when it is sent again later', () => {
    const sent = new SentBefore({ destinations: 2, valuesPerDestination: 4 });
    sent.note('a.com', ['share-target.example'], 10);
    for (let i = 0; i < 20; i++) sent.note('a.com', [`other${i}`, 'share-target.example'], 100 + i);
    expect(sent.sentBefore('a.com', ['share-target.example'], 11)).toBe(true);
    expect(sent.sentBefore('a.com', ['other19'], 119)).toBe(false);
  });
});
