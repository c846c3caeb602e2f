// The `tickets.request` and `trust.run` IPC schemas written with zod (classic API), for the library comparison.
import { z } from 'zod';
import { BASE_URL, ID, LONE_SURROGATE, PREFIX } from './limits';

const text = (min: number, max: number, pattern?: RegExp) => {
  const s = z
    .string()
    .min(min)
    .max(max)
    .refine((value) => !LONE_SURROGATE.test(value));
  return pattern ? s.regex(pattern) : s;
};
const path = text(1, 4096);
const userPart = text(1, 256);
const prefix = text(0, 100, PREFIX);
const baseUrl = text(8, 2048, BASE_URL);

const ticketsRequest = z.strictObject({
  profileId: text(1, 128, ID),
  virtualProxy: prefix,
  userDirectory: userPart,
  userId: userPart,
  attributes: z.array(z.strictObject({ key: text(1, 256), value: text(0, 4096) })).max(200),
  targetId: text(1, 256).optional(),
  reason: text(0, 500).optional(),
});

const trustRun = z.strictObject({
  input: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('folder'), path }),
    z.strictObject({ kind: z.literal('pem'), certPath: path, keyPath: path, caPath: path }),
    z.strictObject({ kind: z.literal('pfx'), pfxPath: path, caPath: path.optional() }),
  ]),
  passphrase: text(0, 1024).optional(),
  qps: baseUrl,
  qrs: baseUrl,
  ticketTest: z.strictObject({ userDirectory: userPart, userId: userPart, virtualProxy: prefix }).optional(),
});

export function parseTicketsRequest(payload: unknown): unknown {
  return ticketsRequest.parse(payload);
}
export function parseTrustRun(payload: unknown): unknown {
  return trustRun.parse(payload);
}
