// CLI flags read by valibot schemas: each flag's reading says the cause and the fix as a UsageError
// (exit 2), the input's type is the schema's output, and absent flags get their defaults.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../electron/cli/errors';
import { flagInput, formatFlag, requiredFlag, switchFlag, userFlag, wholeNumberFlag } from '../../electron/cli/flag-schema';

const INPUT = v.object({
  user: requiredFlag((text) => text.toUpperCase(), '--user is required', 'for example --user "D\\u"'),
  owner: userFlag('owner'),
  limit: wholeNumberFlag('limit', 1, 10),
  format: formatFlag(['table', 'json']),
  json: switchFlag,
  count: v.optional(v.number()),
});

function refusal(values: unknown): UsageError {
  try {
    flagInput(INPUT, values, 'demo');
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error('accepted');
}

describe('flagInput', () => {
  it('reads the flags into typed values, with defaults for the absent ones', () => {
    const input = flagInput(INPUT, { user: 'ann', owner: 'CORP/bob', limit: '7' }, 'demo');
    expect(input).toEqual({ user: 'ANN', owner: { userDirectory: 'CORP', userId: 'bob' }, limit: 7, format: 'table', json: false });
  });

  it('a required flag absent or empty: its own message and hint, exit 2', () => {
    for (const values of [{}, { user: '' }]) {
      const err = refusal(values);
      expect(err.message).toBe('--user is required');
      expect(err.hint).toBe('for example --user "D\\u"');
      expect(err.badInput).toBe(true);
    }
  });

  it("each flag's reading names the flag and the fix", () => {
    expect(refusal({ user: 'a', limit: '0x10' }).message).toBe('--limit must be a whole number from 1 to 10, got "0x10"');
    expect(refusal({ user: 'a', format: 'xml' }).message).toBe('--format must be one of table, json, not "xml"');
    const owner = refusal({ user: 'a', owner: 'bob' });
    expect(owner.message).toBe('--owner "bob" is not DIRECTORY\\ID');
    expect(owner.hint).toMatch(/for example --owner/);
  });

  it('a shape the schema refuses is said with the flag and where to read about it', () => {
    const err = refusal({ user: 'a', count: 'x' });
    expect(err.message).toMatch(/^--count: /);
    expect(err.hint).toBe('see: usher help demo');
  });
});
