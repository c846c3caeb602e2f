// HAR 1.2 checked against the published JSON schema (har-schema, draft-06), with Ajv: what a HAR viewer
// requires of a file, so a test can tell a valid archive from one that only looks like JSON.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';

const require = createRequire(join(__dirname, '..', '..', 'package.json'));
const draft06 = require('ajv/dist/refs/json-schema-draft-06.json') as object;
const schemas = require('har-schema') as Record<string, { $id: string }>;

// har-schema carries keywords of its own (`optional`, `min`) that Ajv's strict mode refuses; they
// constrain nothing, so strict is off for them and the standard keywords are checked in full.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addMetaSchema(draft06);
for (const schema of Object.values(schemas)) ajv.addSchema(schema);
const validate = ajv.getSchema('har.json#')!;

/** The schema's complaints about `doc` (`/log/entries/0/response: must have required property 'status'`), none when valid. */
export function harSchemaErrors(doc: unknown): string[] {
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'}: ${e.message ?? e.keyword}`);
}
