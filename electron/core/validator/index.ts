// The authentication-module validator: Usher plays the proxy and grades a module step by step.
export { startValidation } from './run';
export { defaultLoginScript, loginScriptFrom } from './login-script';
export { gradeTicketRequest, type IssuedTicket, type TicketRequestInput } from './grade-ticket-request';
export { gradeRedirectBack, ticketParameter, type RedirectBackInput } from './grade-redirect-back';
export { DEFAULT_INTERACTIVE_TIMEOUT_MS } from './window-login';
export { loadLoginScriptFile, LoginScriptError } from './login-script-file';
export { MODULE_CA_MAX_BYTES, ModuleCaError, readModuleCa } from './module-ca';
export {
  ValidationCancelled,
  ValidationSetupError,
  type InteractiveLogin,
  type LoginWindow,
  type LoginContext,
  type LoginScript,
  type ValidationOptions,
  type ValidationRun,
  type ValidationRunInfo,
  type ValidationSite,
  type ValidationSiteFactory,
} from './types';
