// Errors as the engine answers them: a JSON-RPC error object with a QIX code (the schema's
// LocalizedErrorCode enum), a `parameter` naming what was wrong and a short `message`.
// The shape `{code, parameter, message}` is what enigma.js turns into an Error with `.code`/`.parameter`.

export interface QixErrorBody {
  code: number;
  parameter: string;
  message: string;
}

/** The codes the simulated engine answers with (names as in the schema's LocalizedErrorCode). */
export const QIX = {
  LOCERR_GENERIC_NOT_FOUND: 2,
  LOCERR_GENERIC_ACCESS_DENIED: 5,
  LOCERR_GENERIC_INVALID_PARAMETERS: 8,
  LOCERR_GENERIC_NOT_IMPLEMENTED: 20,
  LOCERR_APP_ALREADY_OPEN: 1002,
  LOCERR_APP_NOT_FOUND: 1003,
  LOCERR_APP_NOT_OPEN: 1017,
  LOCERR_JSON_RPC_INVALID_REQUEST: -32600,
  LOCERR_JSON_RPC_METHOD_NOT_FOUND: -32601,
  LOCERR_JSON_RPC_INVALID_PARAMETERS: -32602,
  LOCERR_JSON_RPC_INTERNAL_ERROR: -32603,
  LOCERR_JSON_RPC_PARSE_ERROR: -32700,
} as const;

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
