// Non-secret text to copy (a curl or PowerShell command): shown in full so it can be read and selected,
// with a Copy button where the clipboard API is available to this page.
import { useId, useRef, useState } from 'react';

export function CopyText({ label, text }: { label: string; text: string }) {
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const [note, setNote] = useState('');

  async function copy() {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setNote('Copied.');
    } catch {
      // Without clipboard access the selection is the next best thing: Ctrl+C / Cmd+C finishes the job.
      area.current?.select();
      setNote('Selected: press Ctrl+C (Cmd+C on macOS) to copy.');
    }
  }

  return (
    <div className="copy-text">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} ref={area} readOnly value={text} rows={Math.min(8, text.split('\n').length + 1)} spellCheck={false} />
      <div className="row">
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
        <span aria-live="polite">{note}</span>
      </div>
    </div>
  );
}
