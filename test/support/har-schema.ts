import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * The HAR 1.2 JSON schema of the `har-schema` package (the one HAR validators use), compiled once.
 * It is draft-06 and uses a non-standard `optional` keyword, hence the meta-schema and strict: false.
 */
const require = createRequire(import.meta.url);
const schemas = require('har-schema') as Record<string, { $id: string }>;
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
addFormats.default(ajv);
for (const schema of Object.values(schemas)) ajv.addSchema(schema);
const validate = ajv.getSchema('har.json#')!;

/** Every way `har` breaks HAR 1.2, as `path: message`; empty when it is valid. */
export function harSchemaErrors(har: unknown): string[] {
  return validate(har) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}
