import { describe, expect, it } from 'vitest';
import { appendQlikTicket } from '../../shared/ticket-url';
import { formatUser, parseUser } from '../../shared/user';
import { maskSecret } from '../../shared/redact';

describe('parseUser', () => {
  it('reads DIR\\id and DIR/id, trimmed', () => {
    expect(parseUser('MASHUP\\a1-sales')).toEqual({ userDirectory: 'MASHUP', userId: 'a1-sales' });
    expect(parseUser(' DEMO/alice ')).toEqual({ userDirectory: 'DEMO', userId: 'alice' });
  });
  it('refuses what is not a user', () => {
    for (const bad of ['alice', '\\alice', 'DEMO\\', 'DEMO\\a\\b', '']) expect(parseUser(bad)).toBeUndefined();
  });
  it('formats back', () => {
    expect(formatUser({ userDirectory: 'DEMO', userId: 'alice' })).toBe('DEMO\\alice');
  });
});

describe('appendQlikTicket', () => {
  it('uses ? or & as the URI needs and keeps the fragment last', () => {
    expect(appendQlikTicket('https://h/hub/', 'T1')).toBe('https://h/hub/?qlikTicket=T1');
    expect(appendQlikTicket('https://h/sense/app/x?sheet=1', 'T1')).toBe('https://h/sense/app/x?sheet=1&qlikTicket=T1');
    expect(appendQlikTicket('https://h/hub/?', 'T1')).toBe('https://h/hub/?qlikTicket=T1');
    expect(appendQlikTicket('https://h/hub/#/stream', 'T1')).toBe('https://h/hub/?qlikTicket=T1#/stream');
  });
});

describe('maskSecret', () => {
  it('keeps a short prefix only', () => {
    const masked = maskSecret('AbCdEfGhIjKlMnOp');
    expect(masked.startsWith('AbCd')).toBe(true);
    expect(masked).not.toContain('EfGh');
  });
});
