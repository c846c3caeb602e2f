// The engine's (QIX) error codes that Usher's client and built-in engine both speak: names as in the
// engine schema's LocalizedErrorCode enum, plus the JSON-RPC 2.0 codes. One table for both sides, so the
// simulated engine answers with the codes the client explains.

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
