// CSV as spreadsheets open it: RFC 4180 (CRLF rows, fields quoted when they hold a quote, comma or line
// break, quotes doubled) and safe against formula injection: a cell a spreadsheet would run as a formula
// (starting = + - @, tab or carriage return, or their full-width forms) is prefixed with an apostrophe,
// as OWASP advises, because audit fields hold text a person or a site typed.

/** Starts a spreadsheet treats as a formula or a command (DDE), including full-width = + - @. */
const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

/** One cell's text, neutralised and quoted as needed. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Rows (the first one the header) as a CSV file. A UTF-8 byte order mark leads, because Excel reads a
 * CSV without one in the machine's legacy code page and garbles names such as "Müller"; CSV parsers
 * (csv-parse's `bom`, Python's utf-8-sig) skip it.
 */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string>>): string {
  return `\ufeff${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
