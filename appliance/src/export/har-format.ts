/**
 * The HAR 1.2 objects leakwatch writes (http://www.softwareishard.com/blog/har-12-spec/), plus the
 * `_tweasel` log metadata of tweasel's cyanoacrylate (`TweaselHarMetaV1`) that ReportHAR reads,
 * plus leakwatch's own `_leakwatch` fields. Underscore fields are HAR's place for extensions.
 */
export interface HarNameValue {
  name: string;
  value: string;
}

export interface HarRequest {
  method: string;
  url: string;
  httpVersion: string;
  cookies: HarNameValue[];
  headers: HarNameValue[];
  queryString: HarNameValue[];
  postData?: { mimeType: string; text: string; comment?: string };
  headersSize: number;
  bodySize: number;
  comment?: string;
}

export interface HarResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  cookies: HarNameValue[];
  headers: HarNameValue[];
  content: { size: number; mimeType: string; comment?: string };
  redirectURL: string;
  headersSize: number;
  bodySize: number;
  comment?: string;
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: HarRequest;
  response: HarResponse;
  cache: Record<string, never>;
  timings: { blocked: number; dns: number; connect: number; send: number; wait: number; receive: number; ssl: number };
  serverIPAddress?: string;
  comment?: string;
  _leakwatch: { flowId: string; role: HarEntryRole; device: string; source: string };
}

/** Why an entry is in the export: the request that leaked, the page load that made it browsing data, or a flow asked for by id. */
export type HarEntryRole = 'leak' | 'navigation' | 'flow';

/** cyanoacrylate's `TweaselHarMetaV1`, with the fields a network appliance cannot know left out (see buildHar). */
export interface TweaselMeta {
  startDate: string;
  endDate: string;
  options: { mode: 'all-apps' };
  device: { runTarget: 'device'; platform?: 'android' | 'ios'; osVersion?: string };
  versions: Record<string, string>;
  metaVersion: '1.0';
}

export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    pages: [];
    entries: HarEntry[];
    comment: string;
    _tweasel: TweaselMeta;
    _leakwatch: { applianceId: string; device: string; deviceName?: string; exportedAt: string; alertId?: string };
  };
}
