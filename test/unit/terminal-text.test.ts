// Untrusted text for a terminal: every character a terminal would act on is shown escaped, long values
// are cut with a mark, and JSON stays exact (it parses back to the same value).
import { describe, expect, it } from 'vitest';
import { hasControlCharacters, terminalJson, terminalText, terminalValue } from '../../shared/terminal-text';
import { formatTable } from '../../electron/cli/output';
import { userProblem } from '../../shared/user';
import { profileNameProblem } from '../../shared/profile';

// Retitles the window, then clears the screen: what issue 10 minted into a ticket.
const HOSTILE = 'x\u001b]0;owned\u0007\u001b[2J';
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('terminalValue', () => {
  it('escapes C0, DEL, C1 and the bidi controls, readably', () => {
    expect(terminalValue(HOSTILE)).toBe('x\\e]0;owned\\x07\\e[2J');
    expect(terminalValue('a\u009b31mb\u007f')).toBe('a\\x9b31mb\\x7f');
    expect(terminalValue('user\u202eexe.txt\u2066')).toBe('user\\u202eexe.txt\\u2066');
    expect(terminalValue('two\nlines\r\tx')).toBe('two\\nlines\\r\\tx');
  });

  it('keeps printable text, a backslash and non-Latin letters as they are', () => {
    expect(terminalValue('DEMO\\Zoë 山田')).toBe('DEMO\\Zoë 山田');
  });

  it('cuts a long value with a mark saying how much was left out', () => {
    const shown = terminalValue('u'.repeat(10_000));
    expect(shown).toBe(`${'u'.repeat(200)}…[+9800 chars]`);
    expect(terminalValue('abcdef', 3)).toBe('abc…[+3 chars]');
  });
});

describe('terminalText', () => {
  it('keeps newlines, escapes the rest, cuts each line', () => {
    expect(terminalText(`a\n${HOSTILE}`)).toBe('a\nx\\e]0;owned\\x07\\e[2J');
    expect(terminalText('x'.repeat(5000)).length).toBeLessThan(4100);
  });
});

describe('terminalJson', () => {
  it('parses back to the same value, with nothing raw a terminal acts on', () => {
    const value = { userId: `${HOSTILE}\u009b\u202e\u2028`, n: 1 };
    const text = terminalJson(JSON.stringify(value, null, 2));
    expect(JSON.parse(text)).toEqual(value);
    expect(text).not.toMatch(RAW);
    expect(text).toContain('\n  "n": 1'); // the layout's own newlines stay
  });
});

describe('formatTable', () => {
  it('escapes and cuts each cell, so columns still line up', () => {
    const table = formatTable([{ u: HOSTILE }, { u: 'v'.repeat(300) }], [{ header: 'User', value: (r) => r.u }]);
    expect(table).not.toMatch(RAW);
    expect(table).toContain('x\\e]0;owned\\x07\\e[2J');
    expect(table).toContain('…[+100 chars]');
  });
});

describe('userProblem', () => {
  it('refuses control characters and absurd lengths, accepts a normal user', () => {
    expect(hasControlCharacters(HOSTILE)).toBe(true);
    expect(userProblem({ userDirectory: 'DEMO', userId: HOSTILE })).toMatch(/control characters/);
    expect(userProblem({ userDirectory: 'D'.repeat(256), userId: 'a' })).toMatch(/256 characters/);
    expect(userProblem({ userDirectory: 'DEMO', userId: 'Zoë' })).toBeUndefined();
  });
});

describe('profileNameProblem', () => {
  it('refuses a bidi override or a C1 control in a profile name, as it refuses C0', () => {
    expect(profileNameProblem('admin\u202etxt.exe')).toMatch(/control characters/);
    expect(profileNameProblem('a\u009bb')).toMatch(/control characters/);
    expect(profileNameProblem('Prod EU')).toBeUndefined();
  });
});
