import { LitElement, html } from 'lit';
import type { PublicInfo } from '../api/types.js';
import { caInstructions, detectPlatform } from '../logic/platform.js';
import type { Platform } from '../logic/platform.js';
import { href } from '../logic/route.js';
import { shared } from '../styles.js';

const PLATFORMS: { id: Platform; label: string }[] = [
  { id: 'android', label: 'Android' },
  { id: 'ios', label: 'iPhone / iPad' },
  { id: 'other', label: 'Other' },
];

/**
 * First run, in order: trust the appliance CA (the steps of this phone's platform, from its
 * User-Agent, with the right file and the limits), then the self-test, then a canary test.
 * Public: the CA comes before the password.
 */
export class LwSetup extends LitElement {
  static override properties = { info: { attribute: false }, loggedIn: { type: Boolean }, platform: { state: true } };
  info: PublicInfo | undefined;
  loggedIn = false;
  platform: Platform = detectPlatform(navigator.userAgent);
  static override styles = shared;

  override render() {
    const ca = caInstructions(this.platform);
    const https = this.info ? `https://${location.hostname}${this.info.httpsPort === 443 ? '' : `:${this.info.httpsPort}`}/` : undefined;
    return html`
      <h1>Set up this phone</h1>
      <p>You joined the appliance's Wi-Fi. Three steps, then leakwatch can show you what the phone sends, and to whom.</p>
      <section class="card" aria-labelledby="step1">
        <h2 id="step1">1. Install and trust the appliance's certificate</h2>
        <p>It lets the appliance read this phone's HTTPS traffic (and only while the phone is on its Wi-Fi). It is made on this appliance and never leaves it.</p>
        <div class="row" role="group" aria-label="Phone type">
          ${PLATFORMS.map((p) => html`<button type="button" class=${p.id === this.platform ? '' : 'secondary'} aria-pressed=${p.id === this.platform ? 'true' : 'false'} @click=${() => (this.platform = p.id)}>${p.label}</button>`)}
        </div>
        <p><a class="button" href=${ca.download.href} download>${ca.download.label}</a></p>
        <ol>${ca.steps.map((s) => html`<li>${s}</li>`)}</ol>
        <h3>What it cannot do</h3>
        <ul class="small">${ca.limits.map((s) => html`<li>${s}</li>`)}</ul>
        ${this.info?.mode === 'explicit' ? html`<p class="small">This appliance runs as an explicit proxy: set the device's HTTP proxy to this address, port ${this.info.proxyPort}.</p>` : ''}
      </section>
      <section class="card" aria-labelledby="conn">
        <h2 id="conn">This page's connection</h2>
        ${location.protocol === 'https:'
          ? html`<p><span class="badge">Secure (HTTPS)</span> This browser trusts the appliance: you can add the page to the home screen and get notifications of new alerts.</p>`
          : html`<p><span class="badge">Plain HTTP</span> Fine for everything here. Once the certificate is trusted, open the secure page for home-screen install and notifications:</p>
              ${https ? html`<p><a href=${https}>${https}</a></p>` : ''}`}
      </section>
      <section class="card" aria-labelledby="step2">
        <h2 id="step2">2. Check the phone really goes through the appliance</h2>
        <p>The self-test checks the Wi-Fi, the proxy, DNS, the certificate, QUIC and private DNS, and says how to fix what fails.</p>
        <a class="button" href=${this.loggedIn ? href('selftest') : href('login')}>${this.loggedIn ? 'Run the self-test' : 'Log in to run the self-test'}</a>
      </section>
      <section class="card" aria-labelledby="step3">
        <h2 id="step3">3. Plant a canary</h2>
        <p>A canary test gives you a unique page and search phrase. Open or search it in the browser you want to test: if it shows up in anything the phone sends to someone else, that is proof.</p>
        <a class="button secondary" href=${href('canary')}>Start a canary test</a>
      </section>`;
  }
}
customElements.define('lw-setup', LwSetup);

declare global {
  interface HTMLElementTagNameMap {
    'lw-setup': LwSetup;
  }
}
