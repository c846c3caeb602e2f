import { describe, expect, it } from 'vitest';
import { appendQlikTicket } from '../../shared/ticket-url';
import { formatUser, parseUser } from '../../shared/user';
import { maskSecret } from '../../shared/redact';
import { PROBE_PATH_MAX, probePathProblem } from '../../shared/shared-jar';

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

describe('probePathProblem', () => {
  it('takes a plain path below the virtual proxy, with or without a leading slash', () => {
    for (const ok of ['appcontent/a1/logo.png', '/content/Default/my%20logo.png', ' tempcontent/a1/x.xlsx ', 'ticketing/x.png']) {
      expect(probePathProblem('image', ok, 'ticket')).toBeUndefined();
    }
    // On the default virtual proxy nothing is a prefix.
    expect(probePathProblem('image', 'ticket/appcontent/a1/logo.png', '')).toBeUndefined();
  });
  it('refuses addresses, file paths, queries, blanks, dot segments, the prefix and empty paths', () => {
    const bad: Array<[string, RegExp]> = [
      ['https://h/ticket/appcontent/a1/logo.png', /not a whole address/],
      ['C:\\exports\\a.xlsx', /not a file on this computer/],
      ['tempcontent/a1/a.xlsx?serverNodeId=1', /Leave out the \?… part/],
      ['appcontent/a1/logo.png#x', /Leave out the \?… part/],
      ['content/Default/my logo.png', /%20/],
      ['appcontent/../../hub/', /without \. or \.\. parts: it must stay below \/ticket\//],
      ['/Ticket/appcontent/a1/logo.png', /Leave out the virtual proxy's prefix: give the path below \/ticket\//],
      ['//', /Give the path of the file/],
      [`a/${'x'.repeat(PROBE_PATH_MAX)}`, /1024 characters or fewer/],
    ];
    for (const [path, message] of bad) expect(probePathProblem('export', path, 'ticket'), path).toMatch(message);
  });
});
