import { LitElement, css, html } from 'lit';
import type { ListedAlert } from '../api/types.js';
import { alertTitle, chinaLinkBadge, receiverLine } from '../logic/alert-text.js';
import { timeAgo } from '../logic/format.js';
import { href } from '../logic/route.js';
import { shared } from '../styles.js';

/** One alert in the list: severity colour, what left and to whom, china-linked, tier, device, when. */
export class LwAlertRow extends LitElement {
  static override properties = { alert: { attribute: false }, deviceName: {}, now: { type: Number } };
  alert: ListedAlert | undefined;
  deviceName = '';
  now = Date.now();

  static override styles = [shared, css`
    :host { display: block; width: 100%; }
    a.row-link {
      display: grid; grid-template-columns: 6px 1fr; gap: 0 0.75rem; color: inherit; text-decoration: none;
      background: var(--lw-surface); border: 1px solid var(--lw-border); border-radius: var(--lw-radius); margin: 0 0 0.5rem; min-height: 64px; overflow: hidden;
    }
    .stripe { background: var(--lw-low); }
    .stripe.critical { background: var(--lw-critical); }
    .stripe.high { background: var(--lw-high); }
    .stripe.medium { background: var(--lw-medium); }
    .body { padding: 0.55rem 0.75rem 0.55rem 0; min-width: 0; }
    .title { font-weight: 600; overflow-wrap: anywhere; }
    .unread .title::before { content: '● '; color: var(--lw-accent); }
    .value { font-family: var(--lw-mono); font-size: 0.8rem; color: var(--lw-muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  `];

  override render() {
    const a = this.alert;
    if (!a) return html``;
    return html`<a class="row-link ${a.acknowledged ? '' : 'unread'}" href=${href('alert', a.id)}>
      <span class="stripe ${a.severity}" aria-hidden="true"></span>
      <span class="body">
        <span class="title">${a.acknowledged ? '' : html`<span class="visually-hidden">Unread: </span>`}${alertTitle(a)}</span>
        <span class="value" title=${a.data.value}>${a.data.value}</span>
        <span class="row small">
          <span class="badge sev-${a.severity}">${a.severity}</span>
          <span class="badge">${a.confidence}</span>
          ${a.destination.chinaLinked ? html`<span class="badge china">${chinaLinkBadge(a.destination)}</span>` : ''}
          <span class="muted">${receiverLine(a.destination)} · ${this.deviceName || a.device} · ${timeAgo(Date.parse(a.time), this.now)}</span>
        </span>
      </span>
    </a>`;
  }
}
customElements.define('lw-alert-row', LwAlertRow);

declare global {
  interface HTMLElementTagNameMap {
    'lw-alert-row': LwAlertRow;
  }
}
