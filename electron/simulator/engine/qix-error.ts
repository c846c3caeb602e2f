// Errors as the engine answers them: a JSON-RPC error object with a QIX code (the schema's
// LocalizedErrorCode enum), a `parameter` naming what was wrong and a short `message`.
// The shape `{code, parameter, message}` is what enigma.js turns into an Error with `.code`/`.parameter`.
import { QIX } from '../../../shared/qix-codes';

export interface QixErrorBody {
  code: number;
  parameter: string;
  message: string;
}

/** The codes the simulated engine answers with: the table the client reads too. */
export { QIX };

export class QixError extends Error {
  constructor(
    readonly code: number,
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }

  body(): QixErrorBody {
    return { code: this.code, parameter: this.parameter, message: this.message };
  }
}

/** A method the handle's class does not have (a real engine answers `parameter` = the method name). */
export const methodNotFound = (method: string): QixError => new QixError(QIX.LOCERR_JSON_RPC_METHOD_NOT_FOUND, method, 'Method not found');

export const invalidParams = (parameter: string): QixError => new QixError(QIX.LOCERR_JSON_RPC_INVALID_PARAMETERS, parameter, 'Invalid parameters');

export const accessDenied = (parameter = ''): QixError => new QixError(QIX.LOCERR_GENERIC_ACCESS_DENIED, parameter, 'Access denied');
