// Routes one engine request to its handler: the handle names the object (and so its class), the method
// must be one the schema lists for that class, and the params are bound to the schema's declaration.
import { HANDLERS, type CallContext, type CallOutcome } from './handlers';
import { bindParams } from './params';
import { methodNotFound, QIX, QixError } from './qix-error';
import { MODELLED_METHODS, SCHEMA_METHOD_NAMES } from './qix-schema';

export function dispatch(ctx: CallContext, handle: number, method: string, rawParams: unknown): CallOutcome {
  const entry = ctx.session.entry(handle);
  if (!entry) throw new QixError(QIX.LOCERR_JSON_RPC_INVALID_PARAMETERS, 'Invalid handle', 'Invalid parameters');
  const declared = MODELLED_METHODS[entry.type][method];
  const handler = HANDLERS[entry.type][method];
  if (!declared || !handler) {
    // A method of the class that the simulated engine does not model is "not implemented", not unknown.
    if (SCHEMA_METHOD_NAMES[entry.type].includes(method)) {
      throw new QixError(QIX.LOCERR_GENERIC_NOT_IMPLEMENTED, method, 'Not implemented by the simulated engine');
    }
    throw methodNotFound(method);
  }
  return handler(ctx, entry, bindParams(declared.params, rawParams));
}
