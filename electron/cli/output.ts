// Terminal output: aligned tables for people, JSON for pipelines. Everything printed goes through
// shared/terminal-text: what a site, a file or a user typed never reaches the terminal as control
// characters, and values too long to read are cut with a mark. JSON keeps every value exact.
import { terminalJson, terminalText, terminalValue, TERMINAL_VALUE_MAX } from '../../shared/terminal-text';

export interface Column<T> {
  header: string;
  value: (row: T) => string;
  /** Longest cell shown whole (default TERMINAL_VALUE_MAX); Infinity for values a person copies (a URL). */
  maxLength?: number;
}

/** A plain-text table; widths fit the longest cell of each column, each cell escaped and cut. */
export function formatTable<T>(rows: T[], columns: Column<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => terminalValue(c.value(row), c.maxLength ?? TERMINAL_VALUE_MAX)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]): string =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** Exact JSON; the few characters JSON.stringify leaves raw that a terminal would act on are written as \u escapes. */
export function printJson(value: unknown): void {
  printJsonText(JSON.stringify(value, null, 2));
}

/** A JSON text (already serialised: a report, an exported file) on stdout, exact and terminal-safe. */
export function printJsonText(text: string): void {
  process.stdout.write(terminalJson(text.endsWith('\n') ? text : `${text}\n`));
}

export function printLine(text = ''): void {
  process.stdout.write(terminalText(text) + '\n');
}

/** A line for stderr (warnings, progress notes), as safe as printLine. */
export function printNote(text: string): void {
  process.stderr.write(terminalText(text) + '\n');
}

/** Every non-empty line of `text` prefixed with `by`. */
export function indent(text: string, by = '  '): string {
  return text
    .split('\n')
    .map((line) => (line ? by + line : line))
    .join('\n');
}
