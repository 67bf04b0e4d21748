import { LitElement, css, html } from 'lit';
import type { ApiError } from '../api/client.js';
import { runProbes } from '../data/probes.js';
import { selfTestReport } from '../data/system.js';
import { evaluateSelfTest } from '../logic/selftest.js';
import type { Check, CheckStatus } from '../logic/selftest.js';
import { href } from '../logic/route.js';
import { shared } from '../styles.js';

const MARK: Record<CheckStatus, { symbol: string; word: string }> = {
  pass: { symbol: '✓', word: 'Passed' },
  fail: { symbol: '✗', word: 'Failed' },
  warn: { symbol: '!', word: 'Warning' },
  unknown: { symbol: '?', word: 'Unknown' },
};

/** SELF_TEST_DOMAIN and SELF_TEST_ADDRESS, until the appliance's report says otherwise. */
const NAMES = { domain: 'selftest.leakwatch.internal', address: '192.0.2.1' };

/** "Is this phone really going through the appliance?" — each line green or red, with the fix. */
export class LwSelftest extends LitElement {
  static override properties = { checks: { state: true }, running: { state: true }, problem: { state: true } };
  checks: Check[] | undefined;
  running = false;
  problem = '';

  static override styles = [shared, css`
    ul.checks { list-style: none; padding: 0; margin: 0; }
    ul.checks li { display: grid; grid-template-columns: 2rem 1fr; gap: 0.25rem 0.5rem; padding: 0.6rem 0; border-bottom: 1px solid var(--lw-border); }
    .mark { font-weight: 800; font-size: 1.2rem; text-align: center; }
    .pass .mark { color: var(--lw-pass); }
    .fail .mark { color: var(--lw-critical); }
    .warn .mark { color: var(--lw-medium); }
    .unknown .mark { color: var(--lw-muted); }
    .fix { grid-column: 2; }
  `];

  override render() {
    const failed = this.checks?.filter((c) => c.status === 'fail').length ?? 0;
    return html`<h1>Self-test</h1>
      <p>Is this phone really going through the appliance? The page sends a few test requests that only the appliance can answer, then asks it what it saw.</p>
      <button type="button" @click=${this.run} ?disabled=${this.running}>${this.running ? 'Testing…' : this.checks ? 'Run it again' : 'Run the self-test'}</button>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : ''}
      ${this.checks ? html`<section class="card" aria-live="polite">
        <h2>${failed === 0 ? 'All set: this phone goes through the appliance.' : `${failed} of ${this.checks.length} checks failed`}</h2>
        <ul class="checks">${this.checks.map((c) => html`<li class=${c.status}>
          <span class="mark" aria-hidden="true">${MARK[c.status].symbol}</span>
          <span><strong>${c.title}</strong><span class="visually-hidden"> — ${MARK[c.status].word}</span><br><span class="small">${c.detail}</span></span>
          ${c.fix ? html`<span class="fix small"><strong>Fix:</strong> ${c.fix}</span>` : ''}
        </li>`)}</ul>
      </section>
      ${failed === 0 ? html`<p>Next: <a href=${href('canary')}>plant a canary</a> to see whether the browser reports what you browse.</p>` : ''}` : ''}`;
  }

  private async run(): Promise<void> {
    this.running = true;
    this.problem = '';
    try {
      const probes = await runProbes(NAMES.domain, NAMES.address);
      const report = await selfTestReport();
      this.checks = evaluateSelfTest({ report, probes, pageHost: location.host });
    } catch (error) {
      this.problem = (error as ApiError).message;
    } finally {
      this.running = false;
    }
  }
}
customElements.define('lw-selftest', LwSelftest);

declare global {
  interface HTMLElementTagNameMap {
    'lw-selftest': LwSelftest;
  }
}
