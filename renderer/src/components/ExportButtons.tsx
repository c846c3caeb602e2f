// Buttons that save an export as a file (files.save): the main process renders it from what it holds and
// writes it where the host says (Electron's save dialog; the chromium host's downloads folder). A polite
// live region (not a second role=status beside the section's own) says where it went, or that nothing
// was saved. The buttons stay focusable while a save runs (a disabled button would drop the focus).
import { useId, useState } from 'react';
import type { IpcError, RequestOf } from '../../../shared/ipc/contract';
import { call, toUiError } from '../api';
import { ErrorNote } from './ErrorNote';

export interface ExportChoice {
  /** The button's text, e.g. "Export JUnit". */
  label: string;
  what: RequestOf<'files.save'>['what'];
}

/** `19 findings`, `1 entry`: what the file holds, counted in the export's own noun. */
function counted(n: number, noun: readonly [string, string]): string {
  return `${n} ${n === 1 ? noun[0] : noun[1]}`;
}

export function ExportButtons({ label, choices, noun }: { label: string; choices: ExportChoice[]; noun: readonly [one: string, many: string] }) {
  const statusId = useId();
  const [busy, setBusy] = useState<string | undefined>();
  const [message, setMessage] = useState('');
  const [error, setError] = useState<IpcError | undefined>();

  const save = async (choice: ExportChoice) => {
    if (busy) return;
    setBusy(choice.label);
    setError(undefined);
    setMessage(`Saving ${choice.label.replace(/^Export /, '')}…`);
    try {
      const saved = await call('files.save', { what: choice.what });
      setMessage(saved.path ? `Saved ${counted(saved.items, noun)} to ${saved.path}` : `${saved.fileName} was not saved: the save was cancelled.`);
    } catch (err) {
      setMessage('');
      setError(toUiError(err));
    } finally {
      setBusy(undefined);
    }
  };

  // The result goes on a line of its own under the toolbar row (a path is long), outside the group so
  // the buttons keep their place in the row; an empty live region takes no height.
  return (
    <>
      <div className="export-buttons" role="group" aria-label={label} aria-busy={busy !== undefined}>
        {choices.map((choice) => (
          <button key={choice.label} type="button" aria-describedby={statusId} aria-disabled={busy !== undefined} onClick={() => void save(choice)}>
            {choice.label}
          </button>
        ))}
      </div>
      <div className="export-result">
        <span id={statusId} className="break" aria-live="polite" aria-atomic="true">
          {message}
        </span>
        <ErrorNote error={error} />
      </div>
    </>
  );
}
