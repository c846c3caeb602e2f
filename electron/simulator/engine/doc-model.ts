// One open app's data and selection state, and the associative logic the engine applies to it: a row is
// "possible" when every field with a selection holds one of the selected values in that row. Hypercubes,
// field states and exports are computed from the possible rows, so a selection changes their answers.
import type { CellValue, DataTable } from './app-data';

export interface NxCell {
  qText: string;
  qNum: number | 'NaN';
  qElemNumber: number;
  /** L locked, S selected, O optional (possible), X excluded */
  qState: 'L' | 'S' | 'O' | 'X';
}

export interface FieldValueInput {
  qText?: string;
  qIsNumeric?: boolean;
  qNumber?: number;
}

const AGGREGATIONS = ['sum', 'count', 'avg', 'min', 'max'] as const;
type Aggregation = (typeof AGGREGATIONS)[number];

export interface ParsedMeasure {
  aggregation: Aggregation;
  distinct: boolean;
  field: string;
}

/** `Sum(Sales)`, `=Count(distinct [Region])`, ...: the expressions the simulated engine evaluates. */
export function parseMeasure(expression: string): ParsedMeasure | undefined {
  const m = /^\s*=?\s*(sum|count|avg|min|max)\s*\(\s*(distinct\s+)?\[?([^\]()]+?)\]?\s*\)\s*$/i.exec(expression);
  if (!m) return undefined;
  return { aggregation: m[1]!.toLowerCase() as Aggregation, distinct: Boolean(m[2]), field: m[3]!.trim() };
}

export function cellText(value: CellValue): string {
  return typeof value === 'number' ? String(value) : value;
}

/** Case-insensitive match with Qlik's search wildcards `*` and `?`. */
function wildcardMatcher(pattern: string): (text: string) => boolean {
  if (!/[*?]/.test(pattern)) return (text) => text.toLowerCase() === pattern.toLowerCase();
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  const re = new RegExp(`^${source}$`, 'i');
  return (text) => re.test(text);
}

export class DocModel {
  /** Bumped by every change of the selections: computed layouts of an older version are stale. */
  version = 0;
  /** field -> selected value texts */
  private readonly selections = new Map<string, Set<string>>();
  /** field -> distinct values in load order (index = qElemNumber) */
  private readonly distinct = new Map<string, CellValue[]>();

  constructor(readonly table: DataTable) {
    table.fields.forEach((field, col) => {
      const seen = new Map<string, CellValue>();
      for (const row of table.rows) {
        const value = row[col]!;
        if (!seen.has(cellText(value))) seen.set(cellText(value), value);
      }
      this.distinct.set(field, [...seen.values()]);
    });
  }

  hasField(field: string): boolean {
    return this.distinct.has(field);
  }

  column(field: string): number {
    return this.table.fields.indexOf(field);
  }

  values(field: string): CellValue[] {
    return this.distinct.get(field) ?? [];
  }

  selected(field: string): ReadonlySet<string> {
    return this.selections.get(field) ?? new Set();
  }

  selectedFields(): string[] {
    return [...this.selections.keys()];
  }

  /** Rows that survive every field's selection. */
  possibleRows(): CellValue[][] {
    if (this.selections.size === 0) return this.table.rows;
    const filters = [...this.selections].map(([field, values]) => ({ col: this.column(field), values }));
    return this.table.rows.filter((row) => filters.every((f) => f.values.has(cellText(row[f.col]!))));
  }

  /** The state of one value of `field`: selected, possible or excluded by the other fields' selections. */
  valueState(field: string, text: string, possible: ReadonlySet<string>): NxCell['qState'] {
    if (this.selected(field).has(text)) return 'S';
    return possible.has(text) ? 'O' : 'X';
  }

  /** Values of `field` that the other fields' selections leave possible (its own selection ignored). */
  possibleValues(field: string): Set<string> {
    const col = this.column(field);
    const others = [...this.selections].filter(([f]) => f !== field).map(([f, values]) => ({ col: this.column(f), values }));
    const out = new Set<string>();
    for (const row of this.table.rows) {
      if (others.every((o) => o.values.has(cellText(row[o.col]!)))) out.add(cellText(row[col]!));
    }
    return out;
  }

  /** Selects values of `field` (replacing its selection, or toggling each with `toggle`). True if anything changed. */
  selectValues(field: string, inputs: FieldValueInput[], toggle: boolean): boolean {
    if (!this.hasField(field)) return false;
    const known = this.values(field);
    const texts: string[] = [];
    for (const input of inputs) {
      const match = known.find((v) =>
        input.qIsNumeric ? typeof v === 'number' && v === input.qNumber : cellText(v).toLowerCase() === (input.qText ?? '').toLowerCase(),
      );
      if (match !== undefined) texts.push(cellText(match));
    }
    return this.apply(field, texts, toggle);
  }

  /** Selects the values of `field` matching a search string (`*`/`?` wildcards), as Field.Select does. */
  selectMatching(field: string, pattern: string, toggle: boolean): boolean {
    if (!this.hasField(field)) return false;
    const matches = wildcardMatcher(pattern);
    return this.apply(field, this.values(field).map(cellText).filter(matches), toggle);
  }

  private apply(field: string, texts: string[], toggle: boolean): boolean {
    const before = [...this.selected(field)].sort().join('\u0000');
    const next = toggle ? new Set(this.selected(field)) : new Set<string>();
    for (const text of texts) {
      if (toggle && next.has(text)) next.delete(text);
      else next.add(text);
    }
    if (next.size === 0) this.selections.delete(field);
    else this.selections.set(field, next);
    return this.changed(before !== [...next].sort().join('\u0000'));
  }

  clear(field: string): boolean {
    return this.changed(this.selections.delete(field));
  }

  clearAll(): boolean {
    const had = this.selections.size > 0;
    this.selections.clear();
    return this.changed(had);
  }

  private changed(changed: boolean): boolean {
    if (changed) this.version++;
    return changed;
  }

  /** Evaluates a parsed measure over `rows`. */
  aggregate(measure: ParsedMeasure, rows: CellValue[][]): number {
    const col = this.column(measure.field);
    if (col < 0) return Number.NaN;
    const values = rows.map((row) => row[col]!);
    if (measure.aggregation === 'count') return measure.distinct ? new Set(values.map(cellText)).size : values.length;
    const numbers = (measure.distinct ? [...new Map(values.map((v) => [cellText(v), v])).values()] : values).filter((v): v is number => typeof v === 'number');
    if (numbers.length === 0) return measure.aggregation === 'sum' ? 0 : Number.NaN;
    switch (measure.aggregation) {
      case 'sum':
        return numbers.reduce((a, b) => a + b, 0);
      case 'avg':
        return numbers.reduce((a, b) => a + b, 0) / numbers.length;
      case 'min':
        return Math.min(...numbers);
      case 'max':
        return Math.max(...numbers);
    }
  }
}
