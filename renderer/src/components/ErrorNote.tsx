// An error as the core explains it: what went wrong and what to do about it. Never a stack.
import type { IpcError } from '../../../shared/ipc/contract';

export function ErrorNote({ error }: { error: IpcError | undefined }) {
  if (!error) return null;
  return (
    <div className="error-note" role="alert">
      <p className="error-message">{error.message}</p>
      {error.hint ? <p className="error-hint">{error.hint}</p> : null}
    </div>
  );
}
