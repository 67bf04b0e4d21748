import type { FastifyInstance } from 'fastify';
import { DEFAULT_CONFIG } from '../../config/config.js';
import { RUNTIME_SETTINGS, RuntimeSettingError, redactSecrets } from '../../config/runtime-settings.js';
import type { RuntimeSettings, RuntimeSettingsChange } from '../../config/runtime-settings.js';
import { sendError } from '../errors.js';
import { errorSchema } from '../schemas.js';

const section = { type: 'object', additionalProperties: true } as const;

const settingsSchema = {
  type: 'object',
  required: ['config', 'overrides', 'changeable'],
  properties: {
    config: {
      type: 'object',
      description: 'the running configuration, passwords shown as "(set, not shown)"',
      // Every section of the config, so a new one is never silently dropped from the answer.
      properties: Object.fromEntries(Object.entries(DEFAULT_CONFIG).map(([key, value]) => [key, typeof value === 'object' ? section : { type: 'string' }])),
    },
    overrides: { type: 'object', additionalProperties: { type: 'integer' }, description: 'values set through PUT /api/settings, which win over the config file and environment' },
    changeable: {
      type: 'object',
      description: 'what PUT /api/settings accepts, with the lowest value; everything else is read at start and needs a restart',
      additionalProperties: { type: 'object', properties: { minimum: { type: 'integer' } } },
    },
  },
} as const;

const changeSchema = {
  type: 'object',
  minProperties: 1,
  properties: Object.fromEntries(
    Object.entries(RUNTIME_SETTINGS).map(([path, { minimum }]) => [path, { type: ['integer', 'null'], minimum, description: 'null: back to the configured value' }]),
  ),
} as const;

/** The running configuration and the few settings that change without a restart (admin). */
export async function settingsRoutes(app: FastifyInstance, deps: { settings: RuntimeSettings }): Promise<void> {
  const current = () => ({ config: redactSecrets(deps.settings.effective()), overrides: deps.settings.overrides(), changeable: RUNTIME_SETTINGS });

  app.get('/api/settings', { schema: { response: { 200: settingsSchema } } }, async () => current());

  app.put<{ Body: RuntimeSettingsChange }>('/api/settings', { schema: { body: changeSchema, response: { 200: settingsSchema, 400: errorSchema } } }, async (req, reply) => {
    try {
      deps.settings.update(req.body);
    } catch (error) {
      if (!(error instanceof RuntimeSettingError)) throw error;
      return sendError(reply, 'LW_ERR_SETTING_NOT_CHANGEABLE', error.message);
    }
    return current();
  });
}
