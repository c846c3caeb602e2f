// "Log in as" by header or JWT: the request headers a partition sends to the site so that the virtual
// proxy logs the user in, checked against what QRS says of that virtual proxy before anything is sent.
// Tickets and the session API have their own operations; this decides which method a virtual proxy takes
// and builds the credential of the two that travel as request headers.
import { authenticationMethodName, loginMethodsOf, LOGIN_METHOD_LABELS, type LoginMethod } from '../../../shared/login-as';
import { UsherError } from '../../../shared/errors';
import { formatUser, userProblem, type UserRef } from '../../../shared/user';
import { prefixLabel } from '../../../shared/virtual-proxy';
import type { VirtualProxyFields } from '../qlik/types';

export type LoginAsErrorCode = 'NOT_FOUND' | 'METHOD_NOT_TAKEN' | 'HEADER_NAME_UNSET' | 'WRONG_DIRECTORY' | 'BAD_USER' | 'NO_SIGNING_PAIR';

export class LoginAsError extends UsherError<LoginAsErrorCode> {
  override name = 'LoginAsError';
  override readonly badInput = true;
  declare readonly hint: string;
  constructor(code: LoginAsErrorCode, message: string, hint: string) {
    super(code, message, hint);
  }
}

type MethodFields = Pick<VirtualProxyFields, 'prefix' | 'authenticationMethod'>;

/** Refuses a method the virtual proxy does not take, naming the ones it does. */
export function checkLoginMethod(vp: MethodFields, method: LoginMethod): void {
  const taken = loginMethodsOf(vp.authenticationMethod);
  if (taken.includes(method)) return;
  throw new LoginAsError(
    'METHOD_NOT_TAKEN',
    `Virtual proxy ${prefixLabel(vp.prefix)} authenticates by ${authenticationMethodName(vp.authenticationMethod)}, so it does not take a ${LOGIN_METHOD_LABELS[method]} login.`,
    `Pick ${taken.map((m) => LOGIN_METHOD_LABELS[m]).join(' or ')} for this virtual proxy, or a virtual proxy whose authentication method is ${method}.`,
  );
}

/** Printable US-ASCII: all Qlik takes in an authentication header. */
const US_ASCII = /^[\x20-\x7e]+$/;

export type HeaderVirtualProxy = MethodFields & Pick<VirtualProxyFields, 'headerAuthenticationHeaderName' | 'headerAuthenticationStaticUserDirectory'>;

/**
 * The header a header virtual proxy reads: the user id alone on a static-directory one (method 1, whose
 * directory is fixed in the QMC), `DIRECTORY\id` on a dynamic one (method 2).
 */
export function headerCredential(vp: HeaderVirtualProxy, user: UserRef): Record<string, string> {
  checkLoginMethod(vp, 'header');
  const name = vp.headerAuthenticationHeaderName?.trim() ?? '';
  if (name === '') {
    throw new LoginAsError(
      'HEADER_NAME_UNSET',
      `Virtual proxy ${prefixLabel(vp.prefix)} has no header name set, so no header logs anyone in.`,
      'Set "Header authentication header name" on the virtual proxy in the QMC.',
    );
  }
  const problem = userProblem(user);
  if (problem || user.userId.trim() === '' || user.userId.includes('\\')) {
    throw new LoginAsError(
      'BAD_USER',
      `${formatUser(user)} cannot be sent in a header: ${problem ?? 'the user id is empty or holds a backslash'}.`,
      'Give the user as DIRECTORY\\id.',
    );
  }
  let value: string;
  if (vp.authenticationMethod === 1) {
    const directory = vp.headerAuthenticationStaticUserDirectory?.trim() ?? '';
    if (user.userDirectory.trim().toLowerCase() !== directory.toLowerCase()) {
      throw new LoginAsError(
        'WRONG_DIRECTORY',
        `Virtual proxy ${prefixLabel(vp.prefix)} puts every header user in the directory ${directory || '(none set)'}, not ${user.userDirectory}.`,
        `Log in as ${directory || 'DIRECTORY'}\\${user.userId}, or use a dynamic-directory header virtual proxy.`,
      );
    }
    value = user.userId.trim();
  } else {
    value = `${user.userDirectory.trim()}\\${user.userId.trim()}`;
  }
  if (!US_ASCII.test(value)) {
    throw new LoginAsError(
      'BAD_USER',
      `${formatUser(user)} holds characters outside US-ASCII, which Qlik does not take in a header.`,
      'Use a user id of plain ASCII letters, digits and punctuation.',
    );
  }
  return { [name]: value };
}

/** The bearer header of a JWT login. */
export function bearerCredential(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}
