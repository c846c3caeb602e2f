// Sorting and filtering for the console's tables: which column a table is sorted by, the rows in that
// order, and a case-blind text filter over the words of each row. Pure, so the screens and tests share it.
import { useState } from 'react';

export type SortDirection = 'ascending' | 'descending';
export interface SortState {
  column: string;
  direction: SortDirection;
}

/** One sortable column: its id and the value rows are ordered by (numbers as numbers, text by locale). */
export interface SortKey<T> {
  id: string;
  value(row: T): string | number;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** The rows in the order `sort` asks for (stable: equal rows keep their order); unsorted without a key. */
export function sortRows<T>(rows: readonly T[], keys: readonly SortKey<T>[], sort: SortState | undefined): T[] {
  const key = sort && keys.find((k) => k.id === sort.column);
  if (!sort || !key) return [...rows];
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, value: key.value(row) }))
    .sort((a, b) => {
      const order = typeof a.value === 'number' && typeof b.value === 'number' ? a.value - b.value : collator.compare(String(a.value), String(b.value));
      return order === 0 ? a.index - b.index : sign * order;
    })
    .map((e) => e.row);
}

/** Clicking a column sorts by it ascending; clicking it again turns the order round. */
export function nextSort(current: SortState | undefined, column: string): SortState {
  if (current?.column === column) return { column, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  return { column, direction: 'ascending' };
}

/** Whether every word of `query` occurs (case-blind) in one of `fields`. An empty query matches all. */
export function matchesFilter(query: string, fields: ReadonlyArray<string | number | undefined | null>): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = fields
    .filter((f) => f !== undefined && f !== null)
    .join('\u0000')
    .toLowerCase();
  return words.every((w) => text.includes(w));
}

/** A table's sort state, with the header cells' props for `Table`'s sortable columns. */
export function useSort(initial?: SortState) {
  const [sort, setSort] = useState<SortState | undefined>(initial);
  /** The header cell for a sortable column labelled `label` with id `column`. */
  const header = (column: string, label: string) => ({
    label,
    sort: sort?.column === column ? sort.direction : ('none' as const),
    onSort: () => setSort((s) => nextSort(s, column)),
  });
  return { sort, setSort, header };
}
