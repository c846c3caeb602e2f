// Per-test setup for renderer tests: a fresh fake `window.usher`, fresh stores, unmounted trees and real
// timers after each test. (Testing Library's auto-cleanup needs vitest globals, which this project leaves off.)
import { cleanup, render, screen, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { App } from '../../renderer/src/App';
import { useAppStore } from '../../renderer/src/stores/app-store';
import { useAuditStore } from '../../renderer/src/stores/audit-store';
import { useChecksStore } from '../../renderer/src/stores/checks-store';
import { usePartitionsStore } from '../../renderer/src/stores/partitions-store';
import { useRequestLogStore } from '../../renderer/src/stores/request-log-store';
import { useSiteStore } from '../../renderer/src/stores/site-store';
import { useSharedJarStore } from '../../renderer/src/stores/shared-jar-store';
import { useSessionsStore } from '../../renderer/src/stores/sessions-store';
import { useTicketStore } from '../../renderer/src/stores/ticket-store';
import { useTrustStore } from '../../renderer/src/stores/trust-store';
import { useValidatorStore } from '../../renderer/src/stores/validator-store';
import { installFakeUsher, removeFakeUsher, type FakeUsher } from './fake-usher';

export function resetStores(): void {
  useAppStore.getState().reset();
  useTrustStore.getState().reset();
  useTicketStore.getState().reset();
  useRequestLogStore.getState().reset();
  useAuditStore.getState().reset();
  useChecksStore.getState().reset();
  usePartitionsStore.getState().reset();
  useSharedJarStore.getState().reset();
  useSessionsStore.getState().reset();
  useValidatorStore.getState().reset();
  useSiteStore.getState().reset();
}

/** Registers the hooks; the returned function gives the current test's fake. */
export function useFakeUsherPerTest(): () => FakeUsher {
  let fake: FakeUsher | undefined;
  beforeEach(() => {
    fake = installFakeUsher();
    resetStores();
  });
  afterEach(() => {
    cleanup();
    removeFakeUsher();
    vi.useRealTimers();
  });
  return () => {
    if (!fake) throw new Error('the fake is only there inside a test');
    return fake;
  };
}

/**
 * Renders the whole console and opens a section from the sidebar by keyboard (focus, Enter), checking
 * that focus lands on the section's heading and the sidebar marks it current. Returns the sidebar.
 */
export async function openSectionByKeyboard(user: UserEvent, title: string): Promise<HTMLElement> {
  render(<App />);
  await screen.findByRole('button', { name: /Prod EU/ });
  const nav = screen.getByRole('navigation', { name: 'Console' });
  within(nav).getByRole('button', { name: title }).focus();
  await user.keyboard('{Enter}');
  const heading = await screen.findByRole('heading', { level: 1, name: title });
  expect(document.activeElement).toBe(heading);
  expect(within(nav).getByRole('button', { name: title }).getAttribute('aria-current')).toBe('page');
  return nav;
}

/**
 * A confirm bar just opened by Enter on `opener` (focused): focus starts on Cancel, so Enter on arrival
 * cancels; Enter and then Escape each close it and give focus back to `opener`, which is asked afresh
 * each time (the button may be rendered again in the bar's place).
 */
export async function expectCancelAndEscapeGiveFocusBack(user: UserEvent, dialog: HTMLElement, opener: () => HTMLElement): Promise<void> {
  // Enter on arrival must not act: focus starts on Cancel.
  expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
  await user.keyboard('{Enter}');
  expect(screen.queryByRole('alertdialog')).toBeNull();
  expect(document.activeElement).toBe(opener());
  await user.keyboard('{Enter}');
  expect(screen.getByRole('alertdialog')).toBeTruthy();
  await user.keyboard('{Escape}');
  expect(screen.queryByRole('alertdialog')).toBeNull();
  expect(document.activeElement).toBe(opener());
}
/**
 * Records the elements scrolled into view while `body` runs (the test DOM does no layout, so no scrolling), then puts the
 * prototype back. The elements, in order.
 */
export async function recordScrolls(body: (scrolled: Element[]) => Promise<void>): Promise<void> {
  const scrolled: Element[] = [];
  const original = Element.prototype.scrollIntoView;
  Element.prototype.scrollIntoView = function (this: Element) {
    scrolled.push(this);
  };
  try {
    await body(scrolled);
  } finally {
    Element.prototype.scrollIntoView = original;
  }
}

/**
 * Asserts the step bar named `name` (components/StepProgress): a progressbar whose ARIA value, minimum
 * and maximum are the steps done and of how many, and whose value text is also shown in words.
 */
export function expectStepBar(name: string, bar: { done: number; total: number; text: string }): void {
  const element = screen.getByRole('progressbar', { name });
  expect([element.getAttribute('aria-valuenow'), element.getAttribute('aria-valuemin'), element.getAttribute('aria-valuemax')]).toEqual([
    String(bar.done),
    '0',
    String(bar.total),
  ]);
  expect(element.getAttribute('aria-valuetext')).toBe(bar.text);
  expect(screen.getByText(bar.text)).toBeTruthy();
}
