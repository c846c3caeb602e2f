// The one loader of a login script, for `usher validate-module --login-script` and the console's
// validator. It is the person's own code run on their own machine, so the checks are about clear errors
// and about never running code Usher itself stored: an absolute path to a regular .js/.cjs file (links
// followed, the file they lead to checked again and loaded) outside Usher's data folder, where partition
// downloads land (a page of the site could otherwise plant the code this process runs). Read fresh each
// run so an edited script is picked up without a restart.
import { realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, isAbsolute, resolve } from 'node:path';
import { UsherError } from '../../../shared/errors';
import { errorCode } from '../fs/error-code';
import { isInside } from '../fs/is-inside';
import { loginScriptFrom } from './login-script';
import type { LoginScript } from './types';

/** What is loaded: CommonJS through require (no TypeScript, no ES modules). */
const EXTENSIONS = ['.js', '.cjs'];
const EXAMPLE = 'module.exports = async (browser, redirectUrl, context) => browser.get(redirectUrl)';

export type LoginScriptErrorCode = 'LOGIN_SCRIPT_INVALID' | 'NOT_ALLOWED';

export class LoginScriptError extends UsherError<LoginScriptErrorCode> {
  override name = 'LoginScriptError';
  override readonly badInput = true;
  declare readonly hint: string;
  constructor(message: string, hint: string, code: LoginScriptErrorCode = 'LOGIN_SCRIPT_INVALID') {
    super(code, message, hint);
  }
}

function notScript(path: string): LoginScriptError {
  return new LoginScriptError(`The login script ${path} is not a JavaScript file (.js or .cjs).`, `Write it as CommonJS JavaScript, e.g. ${EXAMPLE}`);
}

/** Folder comparisons on file systems that ignore case (Windows, macOS by default). */
function folded(path: string): string {
  return process.platform === 'win32' || process.platform === 'darwin' ? path.toLowerCase() : path;
}

/**
 * The real path of the script once it is known to be the person's own file. The real path is what gets
 * loaded, so a link cannot be switched between the check and the load.
 */
function ownScriptFile(path: string, dataDir: string): string {
  if (!isAbsolute(path)) throw new LoginScriptError(`The login script path "${path}" is not absolute.`, 'Give the full path of the script file.');
  if (!EXTENSIONS.includes(extname(path).toLowerCase())) throw notScript(path);
  let real: string;
  try {
    real = realpathSync(path);
  } catch (err) {
    throw new LoginScriptError(
      `There is no login script file at ${path} (${errorCode(err) ?? (err as Error).message}).`,
      'Check the path, or leave the field empty to log in in the window yourself.',
    );
  }
  let isFile = false;
  try {
    isFile = statSync(real).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile) {
    throw new LoginScriptError(
      `The login script ${path} is not a regular file.`,
      'Point at the .js file itself, or leave the field empty to log in in the window yourself.',
    );
  }
  // A link named .js may point at anything: what is loaded is the file it leads to.
  if (!EXTENSIONS.includes(extname(real).toLowerCase())) throw notScript(real);
  let realDataDir = resolve(dataDir);
  try {
    realDataDir = realpathSync(dataDir);
  } catch {
    // No data folder yet: nothing can have been planted in it.
  }
  const dataDirs = [resolve(dataDir), realDataDir];
  if (dataDirs.some((d) => folded(d) === folded(real) || isInside(folded(d), folded(real)))) {
    throw new LoginScriptError(
      `The login script ${path} is inside Usher's data folder (${dataDirs[0]}), where partition downloads and the console's own files live; Usher does not run code from there.`,
      "Keep your login script in a folder of your own (your documents or the module's project) and point at it there.",
      'NOT_ALLOWED',
    );
  }
  return real;
}

/** Loads the login script at `path` (absolute) that the person gave, refusing one under `dataDir`. */
export function loadLoginScriptFile(path: string, dataDir: string): LoginScript {
  const real = ownScriptFile(path, dataDir);
  const load = createRequire(real);
  const resolved = load.resolve(real);
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
