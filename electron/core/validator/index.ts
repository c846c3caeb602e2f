// The authentication-module validator: Usher plays the proxy and grades a module step by step.
export { startValidation } from './run';
export { defaultLoginScript, loginScriptFrom } from './login-script';
export { gradeTicketRequest, type IssuedTicket, type TicketRequestInput } from './grade-ticket-request';
export { gradeRedirectBack, ticketParameter, type RedirectBackInput } from './grade-redirect-back';
export {
  ValidationSetupError,
  type LoginContext,
  type LoginScript,
  type ValidationOptions,
  type ValidationRun,
  type ValidationRunInfo,
  type ValidationSite,
  type ValidationSiteFactory,
} from './types';
