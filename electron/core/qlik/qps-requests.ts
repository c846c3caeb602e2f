// What is POSTed to QPS for a ticket (`/qps/{prefix/}ticket`) and a session (`/qps/{prefix/}session`):
// one valibot model per request, shared by the client that sends it (qps.ts; the types are derived from
// the schemas) and the simulated QPS that reads it (simulator/qps.ts). The model speaks the client's
// camelCase; on the wire Qlik's prose docs and real clients send PascalCase and its OpenAPI models say
// camelCase, so `readQpsBody` takes either, PascalCase first. Its problems are worded as the simulated
// QPS answers them (400, plain text): the field's wire name, then what is wrong.
import * as v from 'valibot';
import { isPlainObject } from '../../../shared/schema';

const SHAPE = 'must be an array of single-key objects with string values, e.g. [{"Group":"Sales"}].';

/** UserDirectory, UserId, SessionId: a string that, trimmed, is non-empty and holds no backslash (kept trimmed). */
const qlikId = v.pipe(
  v.string('is required and must be a string.'),
  v.trim(),
  v.nonEmpty('must not be empty.'),
  v.excludes('\\', 'must not contain a backslash.'),
);

/** One attribute: a single non-empty key with a string value (the value may be empty). */
const attribute = v.pipe(
  v.custom<Record<string, unknown>>(isPlainObject),
  v.check((item) => {
    const entries = Object.entries(item);
    return entries.length === 1 && entries[0]![0] !== '' && typeof entries[0]![1] === 'string';
  }),
  v.transform((item) => item as Record<string, string>),
);

/** Attributes as Qlik passes them: single-key objects, keys may repeat, values may be empty; null is none. */
const attributes = v.optional(
  v.pipe(
    v.nullable(v.array(attribute, SHAPE)),
    v.transform((list) => list?.map((item) => ({ ...item })) ?? []),
  ),
);

export const TICKET_REQUEST = v.object({
  userDirectory: qlikId,
  userId: qlikId,
  attributes,
  targetId: v.optional(v.string('must be a string.')),
});

export const ADD_SESSION_REQUEST = v.object({
  userDirectory: qlikId,
  userId: qlikId,
  attributes,
  sessionId: qlikId,
});

export type TicketRequest = v.InferOutput<typeof TICKET_REQUEST>;
export type AddSessionRequest = v.InferOutput<typeof ADD_SESSION_REQUEST>;
export type Attributes = NonNullable<TicketRequest['attributes']>;

type RequestSchema = typeof TICKET_REQUEST | typeof ADD_SESSION_REQUEST;

function wireName(key: string): string {
  return key[0]!.toUpperCase() + key.slice(1);
}

/** The first problem as the simulated QPS says it: `UserId must not be empty.`, `Attributes[1] is not ...`. */
function problemOf(issue: v.BaseIssue<unknown>): string {
  const [field, index] = (issue.path ?? []).map((item) => (item as { key: unknown }).key);
  const name = wireName(String(field));
  if (index === undefined) return `${name} ${issue.message}`;
  return `${name}[${String(index)}] is not a single key with a string value. ${name} ${SHAPE}`;
}

/**
 * A request body as it came off the wire, read into the model: its fields in PascalCase or camelCase
 * (PascalCase wins when both are there), or the first problem with it.
 */
export function readQpsBody<S extends RequestSchema>(schema: S, body: unknown): { ok: true; value: v.InferOutput<S> } | { ok: false; problem: string } {
  if (!isPlainObject(body)) return { ok: false, problem: 'The request body must be a JSON object.' };
  // Every field of the model is present (undefined when not sent), so a missing id is worded by its own schema.
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(schema.entries)) fields[key] = body[wireName(key)] !== undefined ? body[wireName(key)] : body[key];
  const result = v.safeParse(schema, fields, { abortEarly: true });
  return result.success ? { ok: true, value: result.output as v.InferOutput<S> } : { ok: false, problem: problemOf(result.issues[0]) };
}
