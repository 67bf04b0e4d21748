import { LitElement, css, html, svg } from 'lit';

export interface Series {
  name: string;
  /** Values per point; null where there is none (no temperature sensor). */
  values: (number | null)[];
  /** A CSS class for the line's colour. */
  tone: 'a' | 'b';
}

const W = 300;
const H = 90;

/** A small line chart of the last hours (0–100 scale): CPU load and temperature over time. */
export class LwLineChart extends LitElement {
  static override properties = { series: { attribute: false }, label: {} };
  series: Series[] = [];
  label = '';

  static override styles = css`
    :host { display: block; }
    svg { width: 100%; height: auto; display: block; }
    polyline { fill: none; stroke-width: 2; vector-effect: non-scaling-stroke; }
    .a { stroke: var(--lw-accent); }
    .b { stroke: var(--lw-high); }
    line { stroke: var(--lw-border); }
  `;

  override render() {
    const count = Math.max(2, ...this.series.map((s) => s.values.length));
    const x = (i: number) => (i / (count - 1)) * W;
    const y = (v: number) => H - (Math.max(0, Math.min(100, v)) / 100) * H;
    return html`<svg viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" role="img" aria-label=${this.label}>
      <line x1="0" x2=${W} y1=${H / 2} y2=${H / 2}></line>
      ${this.series.map((s) => svg`<polyline class=${s.tone} points=${s.values.flatMap((v, i) => (v === null ? [] : [`${x(i).toFixed(1)},${y(v).toFixed(1)}`])).join(' ')}></polyline>`)}
    </svg>`;
  }
}
customElements.define('lw-line-chart', LwLineChart);

declare global {
  interface HTMLElementTagNameMap {
    'lw-line-chart': LwLineChart;
  }
}
