// The text filter above a table: a search box that narrows the rows to those holding every word typed,
// and says how many of how many rows are shown (politely, so typing is not interrupted).
import { useId } from 'react';

interface Props {
  /** What is filtered, for the label: "Filter findings". */
  label: string;
  value: string;
  onChange(value: string): void;
  shown: number;
  total: number;
  /** The noun for the count: "findings". */
  noun: string;
}

export function FilterField({ label, value, onChange, shown, total, noun }: Props) {
  const id = useId();
  return (
    <div className="filter-field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="search" value={value} onChange={(e) => onChange(e.target.value)} spellCheck={false} aria-describedby={`${id}-count`} />
      <span id={`${id}-count`} className="muted" aria-live="polite">
        {value.trim() ? `${shown} of ${total} ${noun}` : `${total} ${noun}`}
      </span>
    </div>
  );
}
