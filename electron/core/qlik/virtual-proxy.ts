// One model of the QRS virtual proxy (VirtualProxyConfig) for both sides: the client reads QRS answers
// into it, the simulator's site file describes its virtual proxies with it. The fields are a valibot
// schema and the type is derived from it; the two sides differ only in how they name the nodes a virtual
// proxy balances to (the QRS embeds node references, a site file lists its own node ids), so the model
// is generic in that one field.
import * as v from 'valibot';
import { boolean, list, looseRecord, number, optional, text, type Infer } from '../../../shared/schema';

/** A QRS enumeration. Any whole number is read (a later Qlik may add values), the comments say which are known. */
const code = (max: number) => number({ min: 0, max, integer: true });

/** One row of a JWT attribute mapping (QRS VirtualProxyConfigJwtAttributeMapItem). */
const jwtAttributeMapItem = looseRecord({
  jwtAttribute: text({ min: 1, max: 1024 }),
  senseAttribute: text({ min: 1, max: 1024 }),
  isMandatory: optional(boolean, false),
});
const origin = text({ max: 1024 });

/** Every field of a virtual proxy as the QRS names it (camelCase), except its id and its nodes. */
const fieldEntries = {
  prefix: text({ max: 100, pattern: /^[a-z0-9\-._~]*$/ }),
  description: text(),
  sessionCookieHeaderName: text({ max: 1024 }),
  sessionCookieDomain: text({ max: 1024 }),
  authenticationModuleRedirectUri: text({ max: 4096 }),
  /** 0 Ticket, 1 static header, 2 dynamic header, 3 SAML, 4 JWT, 5 OIDC */
  authenticationMethod: code(99),
  /** Header carrying the user id for header authentication (methods 1 and 2). */
  headerAuthenticationHeaderName: text({ max: 1024 }),
  headerAuthenticationStaticUserDirectory: text({ max: 1024 }),
  /** JWT virtual proxies (method 4): the certificate whose key verifies tokens (PEM). */
  jwtPublicKeyCertificate: text(),
  /** The claim holding the user id. */
  jwtAttributeUserId: text({ max: 1024 }),
  /** The claim holding the user directory, or a constant in brackets (`[MASHUP]`). */
  jwtAttributeUserDirectory: text({ max: 1024 }),
  jwtAttributeMap: list(jwtAttributeMapItem),
  /** 0 none, 1 allow, 2 always */
  anonymousAccessMode: code(99),
  websocketCrossOriginWhiteList: list(origin),
  /** Minutes. */
  sessionInactivityTimeout: v.pipe(
    number(),
    v.check((n) => n > 0, 'must be a positive number'),
  ),
  additionalResponseHeaders: text(),
  hasSecureAttributeHttps: boolean,
  /** 0 not set, 1 None, 2 Lax, 3 Strict */
  sameSiteAttributeHttps: code(99),
  hasSecureAttributeHttp: boolean,
  sameSiteAttributeHttp: code(99),
  extendedSecurityEnvironment: boolean,
  defaultVirtualProxy: boolean,
  windowsAuthenticationEnabledDevicePattern: text({ max: 1024 }),
};

export const virtualProxyFieldsSchema = looseRecord(fieldEntries);
export type VirtualProxyFields = Infer<typeof virtualProxyFieldsSchema>;

/** A virtual proxy with its id and the nodes it balances to, as each side names them. */
export type VirtualProxy<NodeRef> = VirtualProxyFields & {
  /** The QRS id (a GUID on a real site; the site file's own id in the simulator). */
  id: string;
  loadBalancingServerNodes: NodeRef[];
};

/** The fields a QRS gives a virtual proxy that does not set them. */
export function virtualProxyDefaults(prefix: string): VirtualProxyFields {
  return {
    prefix,
    description: '',
    sessionCookieHeaderName: prefix ? `X-Qlik-Session-${prefix}` : 'X-Qlik-Session',
    sessionCookieDomain: '',
    authenticationModuleRedirectUri: '',
    authenticationMethod: 0,
    headerAuthenticationHeaderName: '',
    headerAuthenticationStaticUserDirectory: '',
    jwtPublicKeyCertificate: '',
    jwtAttributeUserId: '',
    jwtAttributeUserDirectory: '',
    jwtAttributeMap: [],
    anonymousAccessMode: 0,
    websocketCrossOriginWhiteList: [],
    sessionInactivityTimeout: 30,
    additionalResponseHeaders: '',
    hasSecureAttributeHttps: true,
    sameSiteAttributeHttps: 0,
    hasSecureAttributeHttp: false,
    sameSiteAttributeHttp: 0,
    extendedSecurityEnvironment: false,
    defaultVirtualProxy: prefix === '',
    windowsAuthenticationEnabledDevicePattern: 'Windows',
  };
}

/**
 * The fields of a QRS answer's virtual proxy: each one the answer gives with its type is kept, anything
 * else (missing in an older or condensed answer, or of another type) takes the QRS default. A QRS answer
 * is read leniently; a site file, written by a person, is held to the schema (simulator/site.ts).
 */
export function readVirtualProxyFields(answer: Record<string, unknown>): VirtualProxyFields {
  const prefix = v.is(fieldEntries.prefix, answer.prefix) ? answer.prefix : '';
  const fields: Record<string, unknown> = virtualProxyDefaults(prefix);
  for (const [key, schema] of Object.entries(fieldEntries)) {
    const given = v.safeParse(schema, answer[key]);
    if (given.success) fields[key] = given.output;
  }
  // In a list, a row that does not fit (a mapping without both names) is dropped, not the whole list.
  for (const [key, item] of [
    ['jwtAttributeMap', jwtAttributeMapItem],
    ['websocketCrossOriginWhiteList', origin],
  ] as const) {
    const rows = answer[key];
    if (Array.isArray(rows)) fields[key] = rows.flatMap((row: unknown) => (v.is(item, row) ? [v.parse(item, row)] : []));
  }
  return fields as VirtualProxyFields;
}

/** The schema of a site file's virtual proxy: its id, its nodes by site-file id, and any field above. */
export const siteVirtualProxyEntries = {
  ...v.partial(v.object(fieldEntries)).entries,
  id: v.pipe(
    text({ min: 1, max: 1024 }),
    v.check((id) => id.trim() !== '', 'must not be blank'),
  ),
};
