// One origin rule for `usher check --origin` and the console's Checks screen: only an https page can
// embed Qlik (its session cookie must be SameSite=None; Secure), so anything else is bad input.
import { describe, expect, it } from 'vitest';
import { mashupOrigin, OriginError } from '../../electron/core/operations/check-virtual-proxies';

describe('mashupOrigin', () => {
  it('keeps the origin of an https address, a pasted page URL included', () => {
    expect(mashupOrigin('https://portal.example.com')).toBe('https://portal.example.com');
    expect(mashupOrigin('https://Portal.example.com:8443/apps/sales.html?x=1')).toBe('https://portal.example.com:8443');
  });

  it('refuses http, ftp, javascript: and what is not a URL as bad input, naming the flag when given', () => {
    for (const value of [
      'http://x',
      'http://portal.example.com',
      'ftp://portal.example.com',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'https://[portal',
      'portal.example.com',
    ]) {
      const refuse = () => mashupOrigin(value, '--origin');
      expect(refuse).toThrow(OriginError);
      expect(refuse).toThrow(
        expect.objectContaining({
          code: 'INVALID_ORIGIN',
          badInput: true,
          message: `--origin ${value} is not an https:// origin`,
          hint: expect.stringContaining('https://portal.example.com'),
        }),
      );
    }
    expect(() => mashupOrigin('http://x')).toThrow(expect.objectContaining({ message: 'http://x is not an https:// origin' }));
  });
});
