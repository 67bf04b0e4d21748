import { LitElement, css, html, svg } from 'lit';
import type { Bar } from '../logic/verdict.js';

const WIDTH = 300;
const ROW = 34;

/**
 * Horizontal bars, one per label (a company, a country), in SVG: labels are text nodes (they come
 * from traffic, so never markup), china-linked bars in the warning colour. Screen readers get the
 * same figures as a list in the label.
 */
export class LwBarChart extends LitElement {
  static override properties = { bars: { attribute: false }, label: {}, format: { attribute: false } };
  bars: Bar[] = [];
  label = '';
  format: (value: number) => string = (v) => String(v);

  static override styles = css`
    :host { display: block; }
    svg { width: 100%; height: auto; display: block; }
    text { fill: var(--lw-text); font: 12px var(--lw-font); }
    .value { fill: var(--lw-muted); }
    rect.track { fill: color-mix(in srgb, var(--lw-border) 45%, transparent); }
    rect.bar { fill: var(--lw-accent); }
    rect.bar.china { fill: var(--lw-china); }
  `;

  override render() {
    const max = Math.max(1, ...this.bars.map((b) => b.value));
    const summary = this.bars.map((b) => `${b.label}: ${this.format(b.value)}${b.chinaLinked ? ', china-linked' : ''}`).join('; ');
    return html`<svg viewBox="0 0 ${WIDTH} ${Math.max(ROW, this.bars.length * ROW)}" role="img" aria-label="${this.label}${summary ? ` — ${summary}` : ''}">
      ${this.bars.map((b, i) => svg`
        <text x="0" y=${i * ROW + 12}>${b.label.length > 42 ? `${b.label.slice(0, 41)}…` : b.label}${b.chinaLinked ? ' ⚑' : ''}</text>
        <text class="value" x=${WIDTH} y=${i * ROW + 12} text-anchor="end">${this.format(b.value)}</text>
        <rect class="track" x="0" y=${i * ROW + 17} width=${WIDTH} height="10" rx="3"></rect>
        <rect class="bar ${b.chinaLinked ? 'china' : ''}" x="0" y=${i * ROW + 17} width=${Math.max(2, (b.value / max) * WIDTH)} height="10" rx="3"></rect>`)}
    </svg>`;
  }
}
customElements.define('lw-bar-chart', LwBarChart);

declare global {
  interface HTMLElementTagNameMap {
    'lw-bar-chart': LwBarChart;
  }
}
