// A destructive action asked about in place (Destroy a partition, end sessions): an alertdialog bar whose
// focus starts on Cancel (Enter on arrival must not destroy), Escape cancels, and the question names it.
// Where focus goes once the bar is gone is the caller's: `useFocusLater` gives it back to the opener.
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

interface Props {
  /** The dialog's name, when the question is too long to be one (the question then describes it). */
  label?: string;
  question: ReactNode;
  /** The destructive button's text. */
  action: string;
  onConfirm(): void;
  onCancel(): void;
}

export function ConfirmBar({ label, question, action, onConfirm, onCancel }: Props) {
  const questionId = useId();
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    onCancel();
  };
  return (
    <div
      className="confirm-bar"
      role="alertdialog"
      {...(label ? { 'aria-label': label, 'aria-describedby': questionId } : { 'aria-labelledby': questionId })}
      onKeyDown={onKeyDown}
    >
      <p id={questionId}>{question}</p>
      <div className="row">
        <button type="button" className="danger" onClick={onConfirm}>
          {action}
        </button>
        <button ref={cancel} type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

type Target = () => HTMLElement | null | undefined;

/**
 * Focus for an element that is not on the page yet (the button a confirm bar replaced, a status line
 * after a list changed): `focusLater(() => ref.current)` focuses what the function returns after the
 * render this request causes; with several functions, the first whose element is on the page then.
 */
export function useFocusLater(): (...targets: Target[]) => void {
  const pending = useRef<Target[]>(undefined);
  const [, setTick] = useState(0);
  useEffect(() => {
    const targets = pending.current;
    if (!targets) return;
    // One try, on the render the request caused: a target that is not there then never steals focus later.
    pending.current = undefined;
    for (const target of targets) {
      const element = target();
      if (element?.isConnected) {
        element.focus();
        return;
      }
    }
  });
  return useCallback((...targets: Target[]) => {
    pending.current = targets;
    setTick((n) => n + 1);
  }, []);
}
