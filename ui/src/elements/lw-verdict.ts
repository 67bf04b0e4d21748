import { LitElement, css, html } from 'lit';
import type { DeviceVerdict } from '../api/types.js';
import { plural } from '../logic/format.js';
import { receiverBars, verdictSentence } from '../logic/verdict.js';
import { shared } from '../styles.js';
import './lw-bar-chart.js';

/** The verdict for one device, first thing on the alerts page: one plain sentence and who received what. */
export class LwVerdict extends LitElement {
  static override properties = { verdict: { attribute: false }, now: { type: Number } };
  verdict: DeviceVerdict | undefined;
  now = Date.now();

  static override styles = [shared, css`
    .sentence { font-size: 1.05rem; font-weight: 600; }
  `];

  override render() {
    const v = this.verdict;
    if (!v) return html``;
    const label = v.name ?? v.device;
    return html`<section class="card" aria-label="Verdict for ${label}">
      <div class="spread"><h2>${label}</h2><span class="small muted">${plural(v.alerts, 'alert')}${v.unread ? `, ${v.unread} unread` : ''}</span></div>
      <p class="sentence">${verdictSentence(v, this.now)}</p>
      <lw-bar-chart .bars=${receiverBars(v.receivers)} label="Who received ${label}'s browsing, by alerts" .format=${(n: number) => plural(n, 'alert')}></lw-bar-chart>
      <button class="secondary" type="button" @click=${() => this.dispatchEvent(new CustomEvent('pick-device', { detail: v.device, bubbles: true, composed: true }))}>Show only ${label}'s alerts</button>
    </section>`;
  }
}
customElements.define('lw-verdict', LwVerdict);

declare global {
  interface HTMLElementTagNameMap {
    'lw-verdict': LwVerdict;
  }
}
