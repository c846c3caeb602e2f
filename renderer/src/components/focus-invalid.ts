// A form that refuses to submit takes the person to what is wrong: focus moves to its first field marked
// aria-invalid (whose error it describes), so the message is read and in view, not above the fold.
import { useEffect, type RefObject } from 'react';

/**
 * Focuses the first invalid field in `form` each time `errors` is a new, non-empty object (a refused
 * submit makes a fresh one, so submitting twice focuses twice).
 */
export function useFocusFirstInvalid(form: RefObject<HTMLFormElement | null>, errors: object): void {
  useEffect(() => {
    if (Object.keys(errors).length === 0) return;
    const field = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    field?.focus();
    field?.scrollIntoView?.({ block: 'center' });
  }, [form, errors]);
}
