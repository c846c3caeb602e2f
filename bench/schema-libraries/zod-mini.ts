// The `tickets.request` and `trust.run` IPC schemas written with zod/mini (zod's tree-shakable API).
import * as z from 'zod/mini';
import { BASE_URL, ID, LONE_SURROGATE, PREFIX } from './limits';

const text = (min: number, max: number, pattern?: RegExp) =>
  z.string().check(
    z.minLength(min),
    z.maxLength(max),
    z.refine((value) => !LONE_SURROGATE.test(value)),
    ...(pattern ? [z.regex(pattern)] : []),
  );
const path = text(1, 4096);
const userPart = text(1, 256);
const prefix = text(0, 100, PREFIX);
const baseUrl = text(8, 2048, BASE_URL);

const ticketsRequest = z.strictObject({
  profileId: text(1, 128, ID),
  virtualProxy: prefix,
  userDirectory: userPart,
  userId: userPart,
  attributes: z.array(z.strictObject({ key: text(1, 256), value: text(0, 4096) })).check(z.maxLength(200)),
  targetId: z.optional(text(1, 256)),
  reason: z.optional(text(0, 500)),
});

const trustRun = z.strictObject({
  input: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('folder'), path }),
    z.strictObject({ kind: z.literal('pem'), certPath: path, keyPath: path, caPath: path }),
    z.strictObject({ kind: z.literal('pfx'), pfxPath: path, caPath: z.optional(path) }),
  ]),
  passphrase: z.optional(text(0, 1024)),
  qps: baseUrl,
  qrs: baseUrl,
  ticketTest: z.optional(z.strictObject({ userDirectory: userPart, userId: userPart, virtualProxy: prefix })),
});

export function parseTicketsRequest(payload: unknown): unknown {
  return ticketsRequest.parse(payload);
}
export function parseTrustRun(payload: unknown): unknown {
  return trustRun.parse(payload);
}
