// The delta protocol: the patches a socket gets must rebuild exactly the value the engine computed,
// whatever the client held before (checked by applying them as RFC 6902 says).
import { describe, expect, it } from 'vitest';
import { DeltaCache, diff, type JsonPatch } from '../../electron/simulator/engine/delta';

function apply(doc: unknown, patches: JsonPatch[]): unknown {
  let root = structuredClone(doc);
  for (const p of patches) {
    if (p.path === '/') {
      root = structuredClone(p.value);
      continue;
    }
    const keys = p.path
      .split('/')
      .slice(1)
      .map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = keys.pop()!;
    let parent: any = root;
    for (const k of keys) parent = parent[k];
    if (p.op === 'remove') delete parent[last];
    else parent[last] = structuredClone(p.value);
  }
  return root;
}

describe('engine delta patches', () => {
  const cases: Array<[unknown, unknown]> = [
    [
      { a: 1, b: { c: [1, 2] } },
      { a: 2, b: { c: [1, 2, 3] }, d: 'x' },
    ],
    [{ a: 1, gone: true }, { a: 1 }],
    [
      { 'x/y': 1, 't~': 2 },
      { 'x/y': 3, 't~': 2 },
    ],
    [[1, 2], [3]],
    ['text', 'other'],
  ];
  it.each(cases)('turns %j into %j', (before, after) => {
    expect(apply(before, diff(before, after))).toEqual(after);
  });

  it('adds the whole value first, then sends nothing for an unchanged one and only changes after', () => {
    const cache = new DeltaCache();
    const layout = { qInfo: { qId: 'a' }, qHyperCube: { qSize: { qcx: 2, qcy: 4 } } };
    expect(cache.patches(3, 'GetLayout', 'qLayout', layout)).toEqual([{ op: 'add', path: '/', value: layout }]);
    expect(cache.patches(3, 'GetLayout', 'qLayout', structuredClone(layout))).toEqual([]);
    const next = { qInfo: { qId: 'a' }, qHyperCube: { qSize: { qcx: 2, qcy: 2 } } };
    expect(cache.patches(3, 'GetLayout', 'qLayout', next)).toEqual([{ op: 'replace', path: '/qHyperCube/qSize/qcy', value: 2 }]);
    cache.forget(3);
    expect(cache.patches(3, 'GetLayout', 'qLayout', next)[0]!.path).toBe('/');
  });
});
