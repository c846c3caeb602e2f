import { describe, expect, it } from 'vitest';
import { camelCaseKeys, camelKey } from '../../electron/core/qlik/casing';

describe('camelKey', () => {
  it.each([
    ['UserDirectory', 'userDirectory'],
    ['SessionId', 'sessionId'],
    ['TargetUri', 'targetUri'],
    ['userId', 'userId'],
    ['ID', 'id'],
    ['URLPath', 'urlPath'],
    ['X', 'x'],
    ['', ''],
    ['_private', '_private'],
  ])('%s -> %s', (input, output) => {
    expect(camelKey(input)).toBe(output);
  });
});

describe('camelCaseKeys', () => {
  it('normalises nested objects and arrays', () => {
    expect(camelCaseKeys({ Settings: { ListenPort: 443, VirtualProxies: [{ Prefix: 'a', LoadBalancingServerNodes: [{ HostName: 'h' }] }] } })).toEqual({
      settings: { listenPort: 443, virtualProxies: [{ prefix: 'a', loadBalancingServerNodes: [{ hostName: 'h' }] }] },
    });
  });

  it('leaves primitives and null alone', () => {
    expect(camelCaseKeys(null)).toBeNull();
    expect(camelCaseKeys('Text')).toBe('Text');
    expect(camelCaseKeys([1, 'A', true])).toEqual([1, 'A', true]);
  });

  it('copies values of protected keys verbatim (attributes are data)', () => {
    const input = { UserId: 'u', Attributes: [{ Group: 'Sales' }, { Group: 'HR' }, { EmptyFlag: '' }] };
    expect(camelCaseKeys(input, { keepValuesOf: new Set(['attributes']) })).toEqual({
      userId: 'u',
      attributes: [{ Group: 'Sales' }, { Group: 'HR' }, { EmptyFlag: '' }],
    });
  });

  it('prefers an existing camelCase key over its PascalCase twin, in either order', () => {
    expect(camelCaseKeys({ UserId: 'pascal', userId: 'camel' })).toEqual({ userId: 'camel' });
    expect(camelCaseKeys({ userId: 'camel', UserId: 'pascal' })).toEqual({ userId: 'camel' });
  });

  it('keeps a __proto__ key as data instead of changing the prototype', () => {
    const out = camelCaseKeys(JSON.parse('{"__proto__": {"Polluted": true}, "A": 1}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.keys(out)).toContain('__proto__');
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
