import { LitElement, css, html } from 'lit';
import type { ApiError } from '../api/client.js';
import type { CanaryRoundVerdict, CanarySessionView } from '../api/types.js';
import { closeRound, endSession, openRound, reportUrl } from '../data/canary-sessions.js';
import { dateTime, plural } from '../logic/format.js';
import { chinaLinkBadge } from '../logic/alert-text.js';
import { shared } from '../styles.js';
import './lw-copy-button.js';

/**
 * One canary session (the incognito experiment): its verdict in one sentence, each round's
 * canaries with copy buttons and what became of them, buttons for the next round, and the report.
 * Fires `changed` with the session when it changed here.
 */
export class LwCanarySession extends LitElement {
  static override properties = { session: { attribute: false }, busy: { state: true }, problem: { state: true } };
  session: CanarySessionView | undefined;
  busy = false;
  problem = '';

  static override styles = [shared, css`
    .summary { font-weight: 700; }
    .round { border-top: 1px solid var(--lw-border); padding-top: 0.6rem; margin-top: 0.6rem; }
    .secret { display: grid; grid-template-columns: 1fr auto; gap: 0.5rem; align-items: center; margin: 0.2rem 0 0.4rem; }
    .leaked { color: var(--lw-critical); font-weight: 700; }
    .clean { color: var(--lw-muted); font-weight: 600; }
    ul { margin: 0.25rem 0; padding-left: 1.2rem; }
  `];

  override render() {
    const s = this.session;
    if (!s) return html``;
    const verdicts = new Map(s.verdict.rounds.map((r) => [r.round, r]));
    const open = s.closed === null;
    return html`<section class="card" aria-label="Canary session: ${s.app}">
      <div class="spread"><h2>${s.app}</h2><span class="small muted">${s.device ?? 'any device'} · started ${dateTime(s.created)}</span></div>
      <p class="summary" role="status">${s.verdict.summary}</p>
      ${s.rounds.map((r) => {
        const v = verdicts.get(r.n);
        const current = open && r.closed === null;
        return html`<div class="round">
          <div class="spread"><h3>Round ${r.n}: ${r.mode}</h3>${v ? html`<span class=${v.leaked ? 'leaked' : 'clean'}>${v.leaked ? 'Leaked' : current ? 'Watching' : 'Not seen'}</span>` : ''}</div>
          ${current ? html`
            <p class="small">In the app under test, in <strong>${r.mode}</strong> mode: open the page, then search the phrase.</p>
            <label>Open this page</label>
            <div class="secret"><a class="mono" href=${r.pageUrl} target="_blank" rel="noopener">${r.pageUrl}</a><lw-copy-button .text=${r.pageUrl} label="Copy link"></lw-copy-button></div>
            <label>Search for</label>
            <div class="secret"><span class="mono">${r.searchPhrase}</span><lw-copy-button .text=${r.searchPhrase} label="Copy phrase"></lw-copy-button></div>` : ''}
          <p class="small muted">${r.visited ? `Page opened ${dateTime(r.visited)}.` : 'Page not opened yet.'}</p>
          ${v?.leaked ? this.leak(v) : ''}
        </div>`;
      })}
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : ''}
      ${open ? html`<p class="row">
          <button type="button" ?disabled=${this.busy} @click=${() => void this.round('normal')}>Start a normal round</button>
          <button type="button" ?disabled=${this.busy} @click=${() => void this.round('incognito')}>Start an incognito round</button>
        </p>
        <form class="row" @submit=${this.customRound} aria-label="Start a round in another mode">
          <label class="visually-hidden" for="mode-${s.id}">Another mode</label>
          <input id="mode-${s.id}" maxlength="60" placeholder="another mode, e.g. reader mode" autocomplete="off">
          <button class="secondary" type="submit" ?disabled=${this.busy}>Start that round</button>
        </form>
        <p class="row">
          ${s.rounds.some((r) => r.closed === null) ? html`<button class="secondary" type="button" ?disabled=${this.busy} @click=${() => void this.act(() => closeRound(s.id))}>End this round</button>` : ''}
          <button class="secondary" type="button" ?disabled=${this.busy} @click=${() => void this.act(() => endSession(s.id))}>End the session</button>
        </p>
        <p class="small muted">Each round is watched while open and for ${plural(s.watchMinutes, 'minute')} after it ends.</p>` : ''}
      <p class="row small">Report: <a href=${reportUrl(s.id, 'md')} download>Markdown</a> · <a href=${reportUrl(s.id, 'json')} download>JSON</a> · <a href=${reportUrl(s.id, 'zip')} download>zip with the evidence</a></p>
    </section>`;
  }

  private leak(v: CanaryRoundVerdict) {
    return html`<ul class="small">
      ${v.found.map((f) => html`<li>The ${f.target === 'url' ? 'page address' : f.target === 'host' ? "page's host" : 'search phrase'} left the phone as <span class="mono">${f.forms.join(', ')}</span> via <span class="mono">${f.chains.join(' | ')}</span>${f.afterVisitMs === null ? '' : f.afterVisitMs < 1000 ? ', under a second after the visit' : `, ${Math.round(f.afterVisitMs / 1000)} s after the visit`}</li>`)}
      ${v.receivers.map((x) => html`<li>to <span class="mono">${x.host}</span> (${x.company}${x.country ? `, ${x.country}` : ''})${x.chinaLinked ? html` <span class="badge china">${chinaLinkBadge({ chinaLinked: true, country: x.country ?? undefined, ...(x.chinaLink ? { chinaLink: x.chinaLink } : {}) })}</span>` : ''}</li>`)}
    </ul>`;
  }

  private async round(mode: string): Promise<void> {
    await this.act(() => openRound(this.session!.id, mode));
  }

  private customRound(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('input');
    const mode = input?.value.trim();
    if (!mode || !input) return;
    input.value = '';
    void this.round(mode);
  }

  private async act(change: () => Promise<unknown>): Promise<void> {
    this.busy = true;
    this.problem = '';
    try {
      await change();
      this.dispatchEvent(new CustomEvent('changed', { bubbles: true, composed: true }));
    } catch (error) {
      this.problem = (error as ApiError).message;
    } finally {
      this.busy = false;
    }
  }
}
customElements.define('lw-canary-session', LwCanarySession);

declare global {
  interface HTMLElementTagNameMap {
    'lw-canary-session': LwCanarySession;
  }
}
