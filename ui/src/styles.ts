import { css } from 'lit';

/** What every view shares: cards, buttons, badges, forms. Colours come from page.css (light and dark). */
export const shared = css`
  :host { display: block; }
  *, *::before, *::after { box-sizing: border-box; }
  h1, h2, h3 { line-height: 1.2; margin: 0 0 0.5rem; }
  h1 { font-size: 1.35rem; }
  h2 { font-size: 1.1rem; }
  h3 { font-size: 1rem; }
  p { margin: 0.4rem 0; }
  a { color: var(--lw-accent); }
  a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible {
    outline: 3px solid var(--lw-accent);
    outline-offset: 2px;
  }
  .card {
    background: var(--lw-surface);
    border: 1px solid var(--lw-border);
    border-radius: var(--lw-radius);
    padding: 0.9rem 1rem;
    margin: 0 0 0.75rem;
  }
  .muted { color: var(--lw-muted); }
  .small { font-size: 0.875rem; }
  .mono { font-family: var(--lw-mono); font-size: 0.85rem; overflow-wrap: anywhere; }
  .row { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
  .spread { display: flex; gap: 0.5rem; align-items: center; justify-content: space-between; flex-wrap: wrap; }
  button, .button {
    font: inherit;
    min-height: 44px;
    padding: 0.5rem 1rem;
    border-radius: 8px;
    border: 1px solid var(--lw-accent);
    background: var(--lw-accent);
    color: var(--lw-accent-text);
    cursor: pointer;
    text-decoration: none;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4rem;
  }
  button.secondary, .button.secondary { background: transparent; color: var(--lw-accent); }
  button:disabled { opacity: 0.55; cursor: default; }
  input, select {
    font: inherit;
    min-height: 44px;
    padding: 0.4rem 0.6rem;
    border-radius: 8px;
    border: 1px solid var(--lw-border);
    background: var(--lw-surface);
    color: var(--lw-text);
    max-width: 100%;
  }
  label { display: block; font-weight: 600; margin: 0.5rem 0 0.25rem; }
  .badge {
    display: inline-block;
    font-size: 0.75rem;
    font-weight: 700;
    padding: 0.1rem 0.45rem;
    border-radius: 999px;
    border: 1px solid currentColor;
    white-space: nowrap;
  }
  .china { color: var(--lw-china); }
  .sev-critical { color: var(--lw-critical); }
  .sev-high { color: var(--lw-high); }
  .sev-medium { color: var(--lw-medium); }
  .sev-low { color: var(--lw-low); }
  .error {
    border: 1px solid var(--lw-critical);
    color: var(--lw-text);
    background: color-mix(in srgb, var(--lw-critical) 12%, var(--lw-surface));
    border-radius: 8px;
    padding: 0.6rem 0.8rem;
    margin: 0.5rem 0;
  }
  .empty { text-align: center; padding: 1.5rem 1rem; }
  dl { display: grid; grid-template-columns: minmax(6rem, max-content) 1fr; gap: 0.25rem 0.75rem; margin: 0.25rem 0; }
  dt { color: var(--lw-muted); }
  dd { margin: 0; overflow-wrap: anywhere; }
  table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
  th, td { text-align: left; padding: 0.35rem 0.4rem; border-bottom: 1px solid var(--lw-border); vertical-align: top; overflow-wrap: anywhere; }
  th { color: var(--lw-muted); font-weight: 600; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
