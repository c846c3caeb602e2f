// @vitest-environment happy-dom
// The console by keyboard: the skip link, the `g` shortcuts for sections (never while typing), `/` for the
// section's filter, the `?` dialog (focus trapped, Escape closes, focus goes back) and the commands
// Electron's application menu sends.
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/src/App';
import { SEQUENCE_MS } from '../../renderer/src/shortcuts';
import { SECTIONS } from '../../shared/sections';
import { useFakeUsherPerTest } from './harness';

const usher = useFakeUsherPerTest();

async function renderApp() {
  render(<App />);
  await screen.findByRole('button', { name: /Prod EU/ });
}

const heading = (name: string) => screen.getByRole('heading', { level: 1, name });

describe('keyboard', () => {
  it('offers "Skip to content" as the first stop, and it lands on the section heading', async () => {
    const user = userEvent.setup();
    await renderApp();
    await user.tab();
    const skip = screen.getByRole('link', { name: 'Skip to content' });
    expect(document.activeElement).toBe(skip);
    await user.keyboard('{Enter}');
    expect(document.activeElement).toBe(heading('Log in as'));
  });

  it('opens a section with g then its key, and titles the window after it', async () => {
    const user = userEvent.setup();
    await renderApp();
    await user.keyboard('gs');
    expect(document.activeElement).toBe(await screen.findByRole('heading', { level: 1, name: 'Sessions' }));
    expect(document.title).toBe('Sessions - Usher');
    await user.keyboard('ga');
    expect(await screen.findByRole('heading', { level: 1, name: 'Audit' })).toBeTruthy();
  });

  it('gives every section its own key', () => {
    expect(new Set(SECTIONS.map((s) => s.key)).size).toBe(SECTIONS.length);
  });

  it('takes no key typed into a text field, and forgets g after a pause', async () => {
    const user = userEvent.setup();
    await renderApp();
    const field = screen.getAllByRole('textbox')[0]!;
    await user.click(field);
    await user.keyboard('gs?');
    expect(heading('Log in as')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect((field as HTMLInputElement).value).toContain('gs?');
    // A g long ago is no prefix.
    (document.activeElement as HTMLElement).blur();
    const now = vi.spyOn(performance, 'now').mockReturnValue(1000);
    await user.keyboard('g');
    now.mockReturnValue(1000 + SEQUENCE_MS + 1);
    await user.keyboard('s');
    now.mockRestore();
    expect(heading('Log in as')).toBeTruthy();
    // Modifier keys belong to the browser, the menu and screen readers.
    await user.keyboard('{Control>}g{/Control}s');
    expect(heading('Log in as')).toBeTruthy();
  });

  it('goes to the section filter with /', async () => {
    const user = userEvent.setup();
    await renderApp();
    await user.keyboard('ga');
    await screen.findByRole('heading', { level: 1, name: 'Audit' });
    await user.keyboard('/');
    expect(document.activeElement).toBe(screen.getByRole('searchbox'));
    // The slash went to the filter as a shortcut, not as text.
    expect((document.activeElement as HTMLInputElement).value).toBe('');
  });

  it('lists the shortcuts in a modal dialog on ?: focus inside, Tab trapped, Escape closes, focus back', async () => {
    const user = userEvent.setup();
    await renderApp();
    const opener = screen.getByRole('button', { name: 'Partitions' });
    opener.focus();
    await user.keyboard('?');
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    const rows = within(dialog)
      .getAllByRole('row')
      .map((r) => r.textContent);
    expect(rows).toEqual(expect.arrayContaining(['g then sOpen Sessions', '?Show these shortcuts', "/Go to the section's filter"]));
    const close = within(dialog).getByRole('button', { name: 'Close' });
    expect(document.activeElement).toBe(close);
    await user.tab();
    expect(document.activeElement).toBe(close);
    await user.tab({ shift: true });
    expect(document.activeElement).toBe(close);
    // The page behind takes no keys meanwhile: g s does not change the section.
    await user.keyboard('gs');
    expect(heading('Log in as')).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('opens the same dialog from the header button, and Close gives focus back to it', async () => {
    const user = userEvent.setup();
    await renderApp();
    const button = screen.getByRole('button', { name: 'Keyboard shortcuts' });
    await user.click(button);
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it("follows the application menu's commands: a section, the shortcuts, the filter", async () => {
    await renderApp();
    act(() => usher().emit('console.command', { kind: 'section', section: 'requests' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Request log' })).toBeTruthy();
    act(() => usher().emit('console.command', { kind: 'filter' }));
    expect(document.activeElement).toBe(screen.getByRole('searchbox'));
    act(() => usher().emit('console.command', { kind: 'shortcuts' }));
    expect(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeTruthy();
  });
});
