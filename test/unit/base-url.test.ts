// One address rule for every reader of a Qlik service address: the CLI's flags, the console's typed
// addresses and the QPS/QRS clients all give the same `https://host:port` for the same text.
import { describe, expect, it } from 'vitest';
import { parseBaseUrl } from '../../electron/cli/connection-flags';
import { AddressError, parseQpsAddress, QLIK_DEFAULT_PORTS, serviceBaseUrl } from '../../electron/core/qlik';

describe('serviceBaseUrl', () => {
  it("writes out each service's own port when none is given", () => {
    expect(serviceBaseUrl('https://qlik.example.com', 'qps')).toBe('https://qlik.example.com:4243');
    expect(serviceBaseUrl('https://qlik.example.com/qrs/about', 'qrs')).toBe('https://qlik.example.com:4242');
    expect(serviceBaseUrl('qlik.example.com', 'hub')).toBe('https://qlik.example.com:443');
    expect(QLIK_DEFAULT_PORTS).toEqual({ qps: 4243, qrs: 4242, hub: 443 });
  });

  it('keeps an explicit :443 rather than replacing it with the service default', () => {
    expect(serviceBaseUrl('https://qlik.example.com:443', 'qps')).toBe('https://qlik.example.com:443');
    expect(serviceBaseUrl('qlik.example.com:443/qrs', 'qrs')).toBe('https://qlik.example.com:443');
  });

  it('reads an address the same in the CLI, the console and the QPS client', () => {
    for (const text of ['https://qlik.example.com', 'https://QLIK.example.com:4243/', 'https://[::1]']) {
      const expected = serviceBaseUrl(text, 'qps');
      expect(parseBaseUrl('qps', text)).toBe(expected);
      expect(parseQpsAddress(text).baseUrl).toBe(expected);
    }
  });

  it('refuses what is not an https address with one bad-input error naming it', () => {
    for (const text of ['http://qlik.example.com', 'ftp://qlik.example.com', 'https://user:pw@qlik.example.com', 'https://localhost:99999', 'https://a..b']) {
      const refuse = () => serviceBaseUrl(text, 'qrs', '--qrs');
      expect(refuse).toThrow(AddressError);
      expect(refuse).toThrow(expect.objectContaining({ code: 'INVALID_ADDRESS', badInput: true, message: expect.stringMatching(/^--qrs /) }));
    }
  });
});
