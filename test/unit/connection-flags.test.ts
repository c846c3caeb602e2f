// How the CLI reads --qps / --qrs: a scheme and the service's port when left out, https only, and an
// IPv6 address kept in (one pair of) brackets.
import { describe, expect, it } from 'vitest';
import { parseBaseUrl } from '../../electron/cli/connection-flags';

describe('parseBaseUrl', () => {
  it('adds https and the default port, keeps a given one', () => {
    expect(parseBaseUrl('qps', 'qlik.example.com')).toBe('https://qlik.example.com:4243');
    expect(parseBaseUrl('qrs', 'https://qlik.example.com:14242/qrs/about')).toBe('https://qlik.example.com:14242');
  });

  it('keeps an IPv6 address in one pair of brackets', () => {
    expect(parseBaseUrl('qps', 'https://[::1]:4243')).toBe('https://[::1]:4243');
    expect(parseBaseUrl('qps', '[::1]')).toBe('https://[::1]:4243');
  });

  it('refuses plain http and what is not a URL, naming the flag', () => {
    expect(() => parseBaseUrl('qps', 'http://qlik.example.com')).toThrow(/--qps must use https/);
    expect(() => parseBaseUrl('qrs', 'https://exa%mple')).toThrow(/--qrs https:\/\/exa%mple is not a URL/);
    // The URL parser would drop a newline or a tab and take what is left: refused instead.
    expect(() => parseBaseUrl('qrs', 'https://exa mple')).toThrow(/--qrs holds white space or control characters/);
    expect(() => parseBaseUrl('qrs', 'https://exa\nmple')).toThrow(/--qrs holds white space or control characters/);
    expect(() => parseBaseUrl('qps', 'https://../x')).toThrow(/has no valid host name/);
    expect(() => parseBaseUrl('qrs', undefined)).toThrow(/--qrs is required/);
  });
});
