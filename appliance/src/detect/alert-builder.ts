import type { Alert, Attribution, CanaryLabel, Confidence, Flow, LeakKind } from '../model/index.js';
import { formatPath } from '../model/index.js';
import { alertId, cloneSteps, excerptAround } from './evidence.js';
import type { DetectorOptions } from './options.js';
import type { RequestLeaf } from './request-leaves.js';

/** What was found where: the text it was found in (decoded), and the span of the match. */
export interface Finding {
  confidence: Confidence;
  kind: LeakKind;
  value: string;
  form: string;
  leaf: RequestLeaf;
  /** The text the span refers to: the leaf's text, or its canonical spelling. */
  text: string;
  start: number;
  end: number;
  browsedAt?: number;
  browsedUrl?: string;
  /** The registrable domain of the page the value was browsed on. */
  browsedSite?: string;
  field?: string;
  canary?: CanaryLabel;
}

/**
 * When the match is a whole JSON string value, the excerpt shows it inside the decoded JSON it came
 * from (the event around it), which is what makes the evidence readable.
 */
function inContext(f: Finding): ReturnType<typeof excerptAround> | undefined {
  const parent = f.leaf.parent;
  if (parent === undefined || f.start !== 0 || f.end !== f.leaf.text.length || f.text !== f.leaf.text) return undefined;
  const encoded = JSON.stringify(f.leaf.text).slice(1, -1);
  for (const spelling of [encoded, encoded.replace(/\//g, '\\/')]) {
    const at = parent.indexOf(spelling);
    if (at >= 0) return excerptAround(parent, at, at + spelling.length);
  }
  return undefined;
}

export function buildAlert(flow: Flow, destination: Attribution, f: Finding, format: string | undefined, options: DetectorOptions): Alert {
  const path = formatPath(f.leaf.steps);
  const tier = options.severity[f.confidence];
  const { excerpt, highlight } = inContext(f) ?? excerptAround(f.text, f.start, f.end);
  const time = new Date(flow.time).toISOString();
  const alert: Alert = {
    id: alertId([flow.device, flow.id, flow.time, f.kind, f.value, path]),
    time,
    severity: destination.chinaLinked ? tier.chinaLinked : tier.other,
    confidence: f.confidence,
    device: flow.device,
    data: { kind: f.kind, value: f.value, matched: f.text.slice(f.start, f.end), form: f.form },
    path,
    destination,
    flow: { id: flow.id, method: flow.method, url: flow.url, time, source: flow.source },
    evidence: { excerpt, highlight, steps: cloneSteps(f.leaf.steps) },
  };
  if (f.canary !== undefined) alert.data.canary = { ...f.canary };
  if (f.browsedAt !== undefined) alert.evidence.browsedAt = f.browsedAt;
  if (f.browsedUrl !== undefined) alert.evidence.browsedUrl = f.browsedUrl;
  if (f.field !== undefined) alert.evidence.field = f.field;
  if (format !== undefined) alert.evidence.format = format;
  return alert;
}
