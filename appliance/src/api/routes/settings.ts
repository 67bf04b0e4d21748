import type { FastifyInstance } from 'fastify';
import { RUNTIME_SETTINGS, RuntimeSettingError, redactSecrets } from '../../config/runtime-settings.js';
import type { RuntimeSettings, RuntimeSettingsChange } from '../../config/runtime-settings.js';
import type { DeviceNames } from '../../store/devices.js';
import { errorSchema } from '../schemas.js';

const section = { type: 'object', additionalProperties: true } as const;

const settingsSchema = {
  type: 'object',
  required: ['config', 'overrides', 'changeable'],
  properties: {
    config: {
      type: 'object',
      description: 'the running configuration, passwords shown as "(set, not shown)"',
      properties: { dataDir: { type: 'string' }, proxy: section, transparent: section, intel: section, mqtt: section, retention: section, api: section },
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

/** The running configuration and the few settings that change without a restart; device names (admin). */
export async function settingsRoutes(app: FastifyInstance, deps: { settings: RuntimeSettings; devices: DeviceNames }): Promise<void> {
  const current = () => ({ config: redactSecrets(deps.settings.effective()), overrides: deps.settings.overrides(), changeable: RUNTIME_SETTINGS });

  app.get('/api/settings', { schema: { response: { 200: settingsSchema } } }, async () => current());

  app.put<{ Body: RuntimeSettingsChange }>('/api/settings', { schema: { body: changeSchema, response: { 200: settingsSchema, 400: errorSchema } } }, async (req, reply) => {
    try {
      deps.settings.update(req.body);
    } catch (error) {
      if (!(error instanceof RuntimeSettingError)) throw error;
      return reply.code(400).send({ error: 'LW_ERR_SETTING_NOT_CHANGEABLE', message: error.message });
    }
    return current();
  });

  app.patch<{ Params: { id: string }; Body: { name: string | null } }>('/api/devices/:id', {
    schema: {
      params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
      body: { type: 'object', required: ['name'], properties: { name: { type: ['string', 'null'], minLength: 1, maxLength: 100, description: 'null clears the name' } } },
      response: { 200: { type: 'object', properties: { id: { type: 'string' }, name: { type: ['string', 'null'] } } }, 404: errorSchema },
    },
  }, async (req, reply) => {
    const name = req.body.name?.trim() || null;
    if (!deps.devices.set(req.params.id, name)) return reply.code(404).send({ error: 'LW_ERR_DEVICE_NOT_FOUND', message: `no device ${req.params.id}; GET /api/devices lists the devices seen` });
    return { id: req.params.id, name };
  });
}
