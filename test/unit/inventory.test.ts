import { describe, expect, it } from 'vitest';
import { mapWithConcurrency, nodeTargets } from '../../electron/core/sessions/inventory';
import type { ProxyServiceConfig } from '../../electron/core/qlik';
import { parseAttributes } from '../../electron/cli/flag-schema';
import { median, percentile, summarise } from '../../bench/stats';

describe('mapWithConcurrency', () => {
  it('keeps order and never exceeds the limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapWithConcurrency([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, n));
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(peak).toBe(3);
  });
  it('handles no items', async () => {
    expect(await mapWithConcurrency([], 4, async () => 1)).toEqual([]);
  });
});

describe('nodeTargets', () => {
  it("builds each node's QPS address from hostName and restListenPort, prefixes deduplicated", () => {
    const service = (name: string, hostName: string, port: number, prefixes: string[]): ProxyServiceConfig =>
      ({
        id: name,
        settings: { listenPort: 443, restListenPort: port, allowHttp: false, virtualProxies: prefixes.map((prefix, i) => ({ id: `${name}-${i}`, prefix })) },
        serverNodeConfiguration: { name, hostName },
      }) as unknown as ProxyServiceConfig;
    expect(nodeTargets([service('central', 'qlik1', 4243, ['', 'ticket', 'ticket']), service('v6', '::1', 5000, [''])])).toEqual([
      { nodeName: 'central', hostName: 'qlik1', qpsBaseUrl: 'https://qlik1:4243', prefixes: ['', 'ticket'] },
      { nodeName: 'v6', hostName: '::1', qpsBaseUrl: 'https://[::1]:5000', prefixes: [''] },
    ]);
  });
});

describe('parseAttributes', () => {
  it('keeps repeated keys and empty values', () => {
    expect(parseAttributes(['Group=A', 'Group=B', 'Flag=', 'Note=a=b'])).toEqual([{ Group: 'A' }, { Group: 'B' }, { Flag: '' }, { Note: 'a=b' }]);
  });
  it('refuses an attribute without "=" (an empty value is written Flag=)', () => {
    expect(() => parseAttributes(['Bare'])).toThrow(/--attr "Bare" has no "="/);
  });
  it('refuses an attribute without a key', () => {
    expect(() => parseAttributes(['=x'])).toThrow(/has no key/);
  });
});

describe('bench statistics', () => {
  it('computes nearest-rank percentiles and rates', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    const s = summarise([3, 1, 2, 4], 2000);
    expect(s).toEqual({ count: 4, ratePerSecond: 2, p50Ms: 2, p99Ms: 4 });
    // The console and inventory figures: the middle run, the upper middle of an even count.
    expect(median([5, 1, 3])).toBe(3);
    expect(median([3, 1, 2, 4])).toBe(3);
  });
});
