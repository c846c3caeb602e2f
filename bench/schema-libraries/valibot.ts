// The `tickets.request` and `trust.run` IPC schemas written with valibot, for the library comparison.
import * as v from 'valibot';
import { BASE_URL, ID, LONE_SURROGATE, PREFIX } from './limits';

const text = (min: number, max: number, pattern?: RegExp) =>
  v.pipe(
    v.string(),
    v.minLength(min),
    v.maxLength(max),
    v.check((s) => !LONE_SURROGATE.test(s)),
    v.check((s) => !pattern || pattern.test(s)),
  );
const path = text(1, 4096);
const userPart = text(1, 256);
const prefix = text(0, 100, PREFIX);
const baseUrl = text(8, 2048, BASE_URL);

const ticketsRequest = v.strictObject({
  profileId: text(1, 128, ID),
  virtualProxy: prefix,
  userDirectory: userPart,
  userId: userPart,
  attributes: v.pipe(v.array(v.strictObject({ key: text(1, 256), value: text(0, 4096) })), v.maxLength(200)),
  targetId: v.optional(text(1, 256)),
  reason: v.optional(text(0, 500)),
});

const trustRun = v.strictObject({
  input: v.variant('kind', [
    v.strictObject({ kind: v.literal('folder'), path }),
    v.strictObject({ kind: v.literal('pem'), certPath: path, keyPath: path, caPath: path }),
    v.strictObject({ kind: v.literal('pfx'), pfxPath: path, caPath: v.optional(path) }),
  ]),
  passphrase: v.optional(text(0, 1024)),
  qps: baseUrl,
  qrs: baseUrl,
  ticketTest: v.optional(v.strictObject({ userDirectory: userPart, userId: userPart, virtualProxy: prefix })),
});

export function parseTicketsRequest(payload: unknown): unknown {
  return v.parse(ticketsRequest, payload, { abortEarly: true });
}
export function parseTrustRun(payload: unknown): unknown {
  return v.parse(trustRun, payload, { abortEarly: true });
}
