/**
 * provisioning/nftables/leakwatch.nft and provisioning/lib/render.sh as the Pi installer uses them:
 * rendered, checked by nft, loaded twice into a bare namespace next to a NetworkManager-like table.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRules } from '../../../appliance/src/system/firewall.js';
import { removeNamespace, run } from '../../lab/host.js';
import { labUnavailable } from '../../lab/lab.js';
import { RULESET_VALUES, loadRuleset, renderRuleset } from '../../lab/network.js';
import { TEMPLATES, renderTemplate } from '../../lab/render.js';
import { namespaceNames } from '../../lab/topology.js';

/** The template without its comments (which do mention `flush ruleset`, to forbid it). */
const statements = readFileSync(TEMPLATES.nftables, 'utf8').split('\n').filter((line) => !line.trim().startsWith('#')).join('\n');

describe('the nftables template and render.sh', () => {
  it('never flushes the ruleset and declares no table but inet leakwatch', () => {
    expect(statements).not.toMatch(/flush\s+ruleset/);
    expect([...statements.matchAll(/^\s*(?:table|delete table)\s+(\S+\s+\S+)/gm)].map((m) => m[1])).toEqual(['inet leakwatch', 'inet leakwatch', 'inet leakwatch']);
  });

  it('fills every token, so no @TOKEN@ reaches nft', () => {
    const rendered = renderTemplate(TEMPLATES.nftables, RULESET_VALUES);
    expect(rendered).not.toMatch(/@[A-Z_]+@/);
    expect(rendered).toContain('iifname "hot0" fib daddr type != local tcp dport 443 redirect to :8443 comment "hotspot HTTPS to the proxy"');
    expect(rendered).toContain('tcp dport { 8081, 8443, 8888 } iifname != { "hot0", "lo" } drop');
  });

  it('refuses to render when a token has no value, naming the variable to set', () => {
    const { UPLINK_IF: _left_out, ...rest } = RULESET_VALUES;
    expect(() => renderTemplate(TEMPLATES.nftables, rest)).toThrow(`render.sh: ${TEMPLATES.nftables}: no value for @UPLINK_IF@ (set UPLINK_IF)`);
  });

  it('refuses a value that would break out of the quoted interface name', () => {
    expect(() => renderTemplate(TEMPLATES.nftables, { ...RULESET_VALUES, HOTSPOT_IF: 'wlan0" accept #' })).toThrow('the value of HOTSPOT_IF contains a quote or a newline');
  });
});

const unavailable = labUnavailable();

describe.runIf(!unavailable)('the ruleset loaded into a namespace', () => {
  const ns = namespaceNames(`${process.pid}-${randomBytes(2).toString('hex')}`).appliance;
  const dir = mkdtempSync(join(tmpdir(), 'lw-ruleset-'));
  let ruleset = '';
  const nft = (...args: string[]) => run('ip', ['netns', 'exec', ns, 'nft', ...args]);

  beforeAll(() => {
    run('ip', ['netns', 'add', ns]);
    ruleset = renderRuleset(dir);
  });

  afterAll(() => {
    removeNamespace(ns);
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes nft -c', () => {
    expect(() => nft('-c', '-f', ruleset)).not.toThrow();
  });

  it('replaces its table on a second load instead of duplicating rules, and leaves other tables alone', () => {
    // NetworkManager's shared mode keeps its NAT in a table of its own; a `flush ruleset` would delete it.
    nft('add', 'table', 'ip', 'nm-shared-hot0');
    nft('add', 'chain', 'ip', 'nm-shared-hot0', 'nat_postrouting', '{ type nat hook postrouting priority srcnat; }');
    loadRuleset(ns, ruleset);
    loadRuleset(ns, ruleset);
    expect(nft('list', 'tables')).toBe('table ip nm-shared-hot0\ntable inet leakwatch\n');
    const listed = nft('list', 'table', 'inet', 'leakwatch');
    for (const comment of ['hotspot HTTP to the proxy', 'hotspot HTTPS to the proxy', 'hotspot NAT', 'no QUIC from the hotspot', 'no DNS-over-TLS from the hotspot', 'proxy ports: hotspot only']) {
      expect(listed.split(`comment "${comment}"`)).toHaveLength(2);
    }
  });

  it('is read back by the status the self-test and doctor use: every rule present, with its drop counters', () => {
    loadRuleset(ns, ruleset);
    expect(parseRules(nft('-j', 'list', 'table', 'inet', 'leakwatch'))).toEqual({
      state: 'loaded',
      rules: {
        redirectHttp: { present: true, packets: null }, redirectHttps: { present: true, packets: null },
        dropQuic: { present: true, packets: 0 }, dropDnsOverTls: { present: true, packets: 0 },
      },
    });
  });
});
