import { describe, expect, it } from 'vitest';
import { navigationError } from '../../electron/hosts/navigation-error';

describe('navigationError', () => {
  const url = 'https://qlik.example.com/ticket/hub/';
  it.each([
    ['net::ERR_CONNECTION_REFUSED at https://qlik.example.com/', 'CONNECTION_REFUSED', /Nothing answered/],
    ['page.goto: Timeout 15000ms exceeded.\nCall log:\n  - navigating to ...', 'TIMEOUT', /did not answer in time/],
    ['net::ERR_CERT_COMMON_NAME_INVALID', 'HOST_MISMATCH', /does not name its host/],
    ['net::ERR_CERT_AUTHORITY_INVALID', 'UNTRUSTED_CERT', /was refused \(ERR_CERT_AUTHORITY_INVALID\)/],
    ['something else entirely', 'NETWORK', /Could not load .* \(ERR_FAILED\)/],
  ])('%s -> %s, with a hint and no driver call log', (message, code, text) => {
    const err = navigationError(new Error(message), url);
    expect(err.code).toBe(code);
    expect(err.message).toMatch(text);
    expect(err.message).not.toContain('Call log');
    expect(err.hint.length).toBeGreaterThan(10);
  });
});
