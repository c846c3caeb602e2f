// Loads a login script the person points the console at. It is their own code run on their own machine
// (as with `usher validate-module --login-script`), so the checks here are about clear errors, not a
// sandbox: a plain JavaScript file, read fresh each run so an edited script is picked up without a restart.
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, isAbsolute } from 'node:path';
import { loginScriptFrom } from './login-script';
import type { LoginScript } from './types';
import { UsherError } from '../../../shared/errors';

const EXTENSIONS = ['.js', '.cjs'];
const EXAMPLE = 'module.exports = async (browser, redirectUrl, context) => browser.get(redirectUrl)';

export class LoginScriptError extends UsherError<'LOGIN_SCRIPT_INVALID'> {
  override name = 'LoginScriptError';
  declare readonly hint: string;
  constructor(message: string, hint: string) {
    super('LOGIN_SCRIPT_INVALID', message, hint);
  }
}

export function loadLoginScriptFile(path: string): LoginScript {
  if (!isAbsolute(path)) throw new LoginScriptError(`The login script path "${path}" is not absolute.`, 'Give the full path of the script file.');
  if (!EXTENSIONS.includes(extname(path).toLowerCase())) {
    throw new LoginScriptError(`The login script ${path} is not a JavaScript file (.js or .cjs).`, `Write it as CommonJS JavaScript, e.g. ${EXAMPLE}`);
  }
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile)
    throw new LoginScriptError(`There is no login script file at ${path}.`, 'Check the path, or leave the field empty to log in in the window yourself.');
  const load = createRequire(path);
  const resolved = load.resolve(path);
  // Fresh on every run: the person edits the script between runs.
  delete load.cache[resolved];
  let exported: unknown;
  try {
    exported = load(resolved) as unknown;
  } catch (err) {
    throw new LoginScriptError(
      `The login script ${path} did not load: ${String((err as Error).message ?? err).split('\n')[0]}`,
      'Fix the error in the script (run it with node to see it in full), then start again.',
    );
  }
  const script = loginScriptFrom(exported);
  if (!script) throw new LoginScriptError(`The login script ${path} exports no function.`, `Export the login function, e.g. ${EXAMPLE}`);
  return script;
}
