import { randomInt } from 'node:crypto';
import { APPLIANCE_DOMAIN } from '../model/index.js';
import type { CanaryLabel, PlantedCanary } from '../model/index.js';
import { PHRASE_WORDS } from './words.js';

/** Where the hotspot's DNS sends every canary host: the appliance itself, which serves the page. */
export const CANARY_DOMAIN = `canary.${APPLIANCE_DOMAIN}`;

/** Lower-case letters and digits without look-alikes (no 0/o, 1/l/i): readable aloud, typeable on a phone. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

function token(length: number): string {
  return Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

/** The secrets of one round: a host, a page on it, a search phrase. */
export interface RoundSecrets {
  hostToken: string;
  pathToken: string;
  phrase: string;
}

export function newRoundSecrets(): RoundSecrets {
  const words = new Set<string>();
  while (words.size < 3) words.add(PHRASE_WORDS[randomInt(PHRASE_WORDS.length)]!);
  return { hostToken: token(10), pathToken: token(8), phrase: [...words].join(' ') };
}

export const canaryHost = (s: RoundSecrets) => `${s.hostToken}.${CANARY_DOMAIN}`;
export const canaryPage = (s: RoundSecrets) => `http://${canaryHost(s)}/${s.pathToken}`;

/** The round's three canaries as the detector watches for them, each labelled with its test. */
export function plantedCanaries(s: RoundSecrets, label: Omit<CanaryLabel, 'target'>): PlantedCanary[] {
  return [
    { value: canaryHost(s), kind: 'host', label: { ...label, target: 'host' } },
    { value: canaryPage(s), kind: 'url', label: { ...label, target: 'url' } },
    { value: s.phrase, kind: 'search', label: { ...label, target: 'search' } },
  ];
}

/** The host token of a canary host (`<token>.canary.leakwatch.internal`), or undefined. */
export function hostTokenOf(host: string): string | undefined {
  const m = new RegExp(`^([${ALPHABET}]{10})\\.${CANARY_DOMAIN.replace(/\./g, '\\.')}\\.?$`).exec(host.toLowerCase().split(':')[0] ?? '');
  return m?.[1];
}
