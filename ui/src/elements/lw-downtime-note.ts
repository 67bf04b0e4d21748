import { LitElement, html } from 'lit';
import type { Downtime } from '../api/types.js';
import { downtime } from '../data/system.js';
import { dateTime } from '../logic/format.js';
import { shared } from '../styles.js';

/** Within this long, a time leakwatch was down is worth a note above the alerts. */
const RECENT_MS = 24 * 3600 * 1000;

/**
 * "Not inspected from … to …": while leakwatch was not running the phones kept their internet
 * (it fails open), so nothing they sent then could raise an alert. Says so, rather than let the
 * absence of alerts look like the absence of leaks.
 */
export class LwDowntimeNote extends LitElement {
  static override properties = { gaps: { state: true }, all: { type: Boolean } };
  gaps: Downtime[] = [];
  /** Every gap of the last week, not only the last day's. */
  all = false;
  static override styles = shared;

  override connectedCallback(): void {
    super.connectedCallback();
    downtime().then((gaps) => (this.gaps = gaps), () => undefined);
  }

  override render() {
    const shown = this.all ? this.gaps : this.gaps.filter((g) => Date.now() - g.end < RECENT_MS);
    if (shown.length === 0) return this.all ? html`<p class="muted small">leakwatch has run without a break this week.</p>` : html``;
    return html`<div class=${this.all ? '' : 'error'} role="note">
      ${this.all ? '' : html`<strong>Not inspected while leakwatch was down.</strong> `}The phones had internet then, but nothing they sent was looked at:
      <ul class="small">${shown.map((g) => html`<li>${dateTime(g.start)} – ${dateTime(g.end)} (${g.reason === 'crashed' ? 'it stopped unexpectedly; systemd restarted it' : 'it was stopped'})</li>`)}</ul>
    </div>`;
  }
}
customElements.define('lw-downtime-note', LwDowntimeNote);

declare global {
  interface HTMLElementTagNameMap {
    'lw-downtime-note': LwDowntimeNote;
  }
}
