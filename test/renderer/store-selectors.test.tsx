// @vitest-environment happy-dom
// Screens read their stores through selectors: a change to a store field a screen does not show must
// not re-render it (a whole-store call re-renders on every set()). The sources are checked too, in
// store-hooks.test.ts.
import { act, render, screen } from '@testing-library/react';
import { Profiler } from 'react';
import { describe, expect, it } from 'vitest';
import { Sessions } from '../../renderer/src/screens/Sessions';
import { useAppStore } from '../../renderer/src/stores/app-store';
import { useSessionsStore } from '../../renderer/src/stores/sessions-store';
import { useFakeUsherPerTest } from './harness';

useFakeUsherPerTest();

describe('store selectors', () => {
  it('Sessions does not re-render when app-store fields it does not read change', async () => {
    await act(() => useAppStore.getState().load());
    let commits = 0;
    render(
      <Profiler id="sessions" onRender={() => void (commits += 1)}>
        <Sessions />
      </Profiler>,
    );
    await screen.findByText(/sessions? of \d+ users?/);
    const settled = commits;
    act(() => useAppStore.setState({ section: 'audit', problems: [{ file: 'x.json', reason: 'damaged' }] }));
    act(() => useAppStore.setState({ error: { code: 'X', message: 'elsewhere' } }));
    expect(commits).toBe(settled);
    // A field it does read still re-renders it (the count above is not blind).
    act(() => useSessionsStore.setState({ error: { code: 'X', message: 'shown here' } }));
    expect(commits).toBeGreaterThan(settled);
  });
});
