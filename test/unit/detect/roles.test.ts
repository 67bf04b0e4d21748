import { describe, expect, it } from 'vitest';
import { flowRole } from '../../../appliance/src/detect/roles.js';
import { flow, navigation, telemetry } from '../../support/flows.js';

describe('flowRole', () => {
  it.each([
    // Browsers announce page loads with Sec-Fetch.
    ['a Chromium page load', navigation('https://news.example.org/a'), 'navigation'],
    ['a HAR document entry', flow('https://news.example.org/a', { resourceType: 'document' }), 'navigation'],
    ['an iframe load', flow('https://ads.example.net/frame', { headers: { 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'iframe' } }), 'page'],
    // Clients without Sec-Fetch (curl, old WebViews): a GET for HTML.
    ['curl fetching a page', flow('https://news.example.org/a', { headers: { 'User-Agent': 'curl/8.5.0', Accept: '*/*' }, response: { status: 200, mimeType: 'text/html; charset=utf-8' } }), 'navigation'],
    ['an SDK GET that returns HTML', flow('https://t.example.cn/x', { headers: { 'User-Agent': 'okhttp/4.9.0' }, response: { status: 200, mimeType: 'text/html' } }), 'app'],
    ['a failed page load', flow('https://news.example.org/missing', { headers: { Accept: 'text/html' }, response: { status: 404, mimeType: 'text/html' } }), 'app'],
  ])('calls %s a %s', (_name, f, role) => {
    expect(flowRole(f)).toBe(role);
  });

  it.each([
    ['a script', flow('https://cdn.example.org/app.js', { resourceType: 'script' })],
    ['a page XHR', flow('https://api.example.org/x', { headers: { 'X-Requested-With': 'XMLHttpRequest' } })],
    ['a beacon with the page as Referer', flow('https://www.google-analytics.com/g/collect', { method: 'POST', headers: { Referer: 'https://news.example.org/a', 'User-Agent': 'Mozilla/5.0 (Linux; Android 10) Chrome/120 Mobile Safari/537.36' } })],
    ['a fetch with Sec-Fetch cors', flow('https://api.example.org/x', { headers: { 'Sec-Fetch-Mode': 'cors', 'Sec-Fetch-Dest': 'empty' } })],
    ['a request with an Origin', flow('https://api.example.org/x', { method: 'POST', headers: { Origin: 'https://news.example.org' } })],
  ])('calls %s page traffic', (_name, f) => {
    expect(flowRole(f)).toBe('page');
  });

  it('calls an HTTP library\'s request app traffic even with a web Referer', () => {
    expect(flowRole(telemetry('https://log.example.cn/t', '{}', { headers: { Referer: 'https://servicewechat.com/wx123/1/page-frame.html' } }))).toBe('app');
  });

  it('calls an SDK post app traffic even when the app sets a non-web Referer', () => {
    expect(flowRole(telemetry('https://sa.api.intl.miui.com/sa', 'x=1', { headers: { Referer: 'android-app://com.mi.globalbrowser' } }))).toBe('app');
  });
});
