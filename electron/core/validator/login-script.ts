// The login script used when the user gives none: a module that logs people in without a form (SSO
// behind it, or a test module) needs only a GET; the browser follows the redirects back to the proxy.
import type { LoginScript } from './types';

/** GETs the module URL with `login_hint` (ignored by modules that do not use it) and follows redirects. */
export const defaultLoginScript: LoginScript = (browser, redirectUrl, context) => {
  const url = new URL(redirectUrl);
  url.searchParams.set('login_hint', context.loginHint);
  return browser.get(url.href);
};

/** A login script from a module's exports: `module.exports = fn`, `export default fn` or `export const login`. */
export function loginScriptFrom(exported: unknown): LoginScript | undefined {
  if (typeof exported === 'function') return exported as LoginScript;
  if (typeof exported === 'object' && exported !== null) {
    const candidates = exported as { default?: unknown; login?: unknown };
    if (typeof candidates.default === 'function') return candidates.default as LoginScript;
    if (typeof candidates.login === 'function') return candidates.login as LoginScript;
    if (typeof candidates.default === 'object' && candidates.default !== null) return loginScriptFrom(candidates.default);
  }
  return undefined;
}
