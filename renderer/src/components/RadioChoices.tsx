// One radio button per choice, each with its own label: a group's name ties them together, so the
// browser's arrow keys move between them. The caller puts them in a fieldset (or row) with a legend.
import type { ReactNode } from 'react';

interface Props<T extends string> {
  /** The group's name; each input's id is `${name}-${value}`. */
  name: string;
  options: ReadonlyArray<{ value: T; label: ReactNode }>;
  value: T;
  onChange(value: T): void;
}

export function RadioChoices<T extends string>({ name, options, value, onChange }: Props<T>) {
  return (
    <>
      {options.map((option) => (
        <span key={option.value} className="check">
          <input id={`${name}-${option.value}`} type="radio" name={name} checked={value === option.value} onChange={() => onChange(option.value)} />
          <label htmlFor={`${name}-${option.value}`}>{option.label}</label>
        </span>
      ))}
    </>
  );
}
