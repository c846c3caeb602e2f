// Untrusted text (a user id from a site, a node name from QRS, an error body, a file name someone typed)
// made safe for a terminal: a terminal obeys control characters, so `ESC ] 0 ; x BEL` in a user id would
// retitle the window and `ESC [ 2 J` clear the screen. Every such character is shown escaped instead, and a
// value too long to read is cut with a mark saying how much was left out. Pure: the CLI uses it for every
// line it prints; nothing here changes JSON output, which is exact by contract.

/**
 * Characters a terminal may act on rather than show: C0 controls, DEL, C1 controls (U+0080-U+009F, which
 * a UTF-8 terminal may read as CSI and friends), bidirectional overrides and isolates (they reorder what
 * follows, "Trojan Source"), the Arabic letter mark, and the Unicode line and paragraph separators.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_KEEPING_NEWLINES = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
const UNSAFE_TEST = new RegExp(UNSAFE.source);
/** What JSON.stringify leaves raw: everything above but C0, which it escapes itself (and whose \n is layout). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

/** `\e` for ESC, `\n` `\r` `\t`, `\xNN` for other C0/C1 characters, `\uNNNN` for the rest. */
function escapeOne(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Whether `text` holds a character a terminal could act on. */
export function hasControlCharacters(text: string): boolean {
  return UNSAFE_TEST.test(text);
}

/** The longest value shown whole in a table cell or a one-line field. */
export const TERMINAL_VALUE_MAX = 200;

/**
 * One value for one line: control characters (newlines too) escaped, cut after `max` characters with
 * `…[+N chars]`. The cut counts the characters of the original value, so the mark says what is missing.
 */
export function terminalValue(value: string, max = TERMINAL_VALUE_MAX): string {
  const cut = value.length > max ? value.slice(0, max) : value;
  const shown = cut.replace(UNSAFE, escapeOne);
  return value.length > max ? `${shown}…[+${value.length - max} chars]` : shown;
}

/** The longest line printed whole; longer ones (a value nobody cut before) are cut with a mark. */
export const TERMINAL_LINE_MAX = 4000;

/**
 * Text of one or more lines for a terminal: newlines kept, every other control character escaped, each
 * line cut after `lineMax` characters. What printers apply last, so that nothing raw gets through even
 * when a caller forgot to pass a value through `terminalValue`.
 */
export function terminalText(text: string, lineMax = TERMINAL_LINE_MAX): string {
  return text
    .split('\n')
    .map((line) => {
      const safe = line.replace(UNSAFE_KEEPING_NEWLINES, escapeOne);
      return safe.length > lineMax ? `${safe.slice(0, lineMax)}…[+${safe.length - lineMax} chars]` : safe;
    })
    .join('\n');
}

/**
 * JSON text that a terminal shows as it is: JSON.stringify already writes C0 characters as `\u00XX`, but
 * leaves DEL, C1 and the bidi controls raw. The same characters written as `\uXXXX` escapes parse back to
 * the same value (they can only occur inside strings), so the JSON stays exact.
 */
export function terminalJson(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
