import type { FastifyReply } from 'fastify';

/**
 * Every refusal the API makes, in one place: its HTTP status and what it means. Each answer is
 * `{"error": code, "message": "…what to do…"}`; README's API section lists this catalogue, and a
 * test checks the two agree.
 */
export const API_ERRORS = {
  LW_ERR_INVALID_REQUEST: { status: 400, meaning: 'the request does not match what the route accepts (see /api/openapi.json)' },
  LW_ERR_BAD_CURSOR: { status: 400, meaning: 'a paging cursor this API did not give out' },
  LW_ERR_SETTING_NOT_CHANGEABLE: { status: 400, meaning: 'a setting that only changes in the config file, with a restart' },
  LW_ERR_PASSWORD_TOO_SHORT: { status: 400, meaning: 'a new admin password under 8 characters' },
  LW_ERR_LOGIN: { status: 401, meaning: 'wrong admin password' },
  LW_ERR_AUTH_REQUIRED: { status: 401, meaning: 'no admin session, or it expired: log in again' },
  LW_ERR_WRONG_PASSWORD: { status: 403, meaning: 'the current password given to change it is wrong' },
  LW_ERR_NOT_FOUND: { status: 404, meaning: 'no such route' },
  LW_ERR_ALERT_NOT_FOUND: { status: 404, meaning: 'no alert with this id (retention may have deleted it)' },
  LW_ERR_ALERT_FLOWS_GONE: { status: 404, meaning: 'the requests behind an alert are no longer stored' },
  LW_ERR_FLOW_NOT_FOUND: { status: 404, meaning: 'no stored request with this id' },
  LW_ERR_DEVICE_NOT_FOUND: { status: 404, meaning: 'no device with this id was seen' },
  LW_ERR_CANARY_NOT_FOUND: { status: 404, meaning: 'no canary test with this token' },
  LW_ERR_CANARY_SESSION_NOT_FOUND: { status: 404, meaning: 'no canary session with this id' },
  LW_ERR_CANARY_SESSION_CLOSED: { status: 409, meaning: 'the canary session is closed: start a new one for more rounds' },
  LW_ERR_CAPTURE_OFF: { status: 409, meaning: 'the answer needs packet capture, which is off' },
  LW_ERR_RATE_LIMITED: { status: 429, meaning: 'too many tries in a minute: wait, then try again' },
  LW_ERR_UI_NOT_BUILT: { status: 503, meaning: 'the web page was not built (npm run build)' },
  LW_ERR_INSPECTION_UNAVAILABLE: { status: 503, meaning: 'the inspection thread did not answer (it may be restarting): try again' },
  LW_ERR_INTERNAL: { status: 500, meaning: 'leakwatch failed on its side; its log says why' },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ApiErrorCode = keyof typeof API_ERRORS;

export interface ApiErrorBody {
  error: ApiErrorCode;
  message: string;
}

/** Answers with the code's status and `{error, message}`. */
export function sendError(reply: FastifyReply, code: ApiErrorCode, message: string): FastifyReply {
  return reply.code(API_ERRORS[code].status).send({ error: code, message } satisfies ApiErrorBody);
}
