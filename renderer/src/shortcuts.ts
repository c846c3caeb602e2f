// The console's keyboard shortcuts. Single keys, as GitHub and Gmail use them: `g` then a section's key
// opens that section, `/` goes to the section's filter, `?` lists them all. No modifier: Ctrl/Alt/Cmd
// combinations belong to the browser, Electron's menu and screen readers (NVDA and JAWS take Insert/
// CapsLock combinations; in browse mode they keep single letters for themselves and pass nothing here,
// so nothing they do is taken away). Never while typing: a key in a text field is that field's.
import { useEffect } from 'react';
import { SECTIONS, type Section } from '../../shared/sections';

/** How long `g` waits for the section's key, in milliseconds. */
export const SEQUENCE_MS = 1500;

export interface ShortcutActions {
  showSection(section: Section): void;
  openShortcuts(): void;
}

/** The shortcuts as the help overlay lists them. */
export const SHORTCUT_LIST: ReadonlyArray<{ keys: string[]; what: string }> = [
  { keys: ['?'], what: 'Show these shortcuts' },
  { keys: ['/'], what: "Go to the section's filter" },
  ...SECTIONS.map((s) => ({ keys: ['g', s.key], what: `Open ${s.title}` })),
];

/** Where a typed key belongs to the element itself: text fields, lists to choose from, editable text. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['button', 'checkbox', 'radio', 'submit', 'reset', 'file', 'range', 'color'].includes(target.type);
  return false;
}

/** Focuses the current section's text filter (the first search box in the main pane); false if it has none. */
export function focusSectionFilter(): boolean {
  const field = document.querySelector<HTMLInputElement>('#main input[type="search"]');
  if (!field) return false;
  field.focus();
  field.select();
  return true;
}

/** Listens on the window while mounted; `enabled` false (a dialog is open) lets every key through. */
export function useShortcuts(actions: ShortcutActions, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    // When `g` was pressed (0: not waiting): a time, not a timer, so nothing fires once the page is gone.
    let gAt = 0;
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) {
        gAt = 0;
        return;
      }
      const now = performance.now();
      const waiting = gAt > 0 && now - gAt <= SEQUENCE_MS;
      gAt = 0;
      if (waiting) {
        const section = SECTIONS.find((s) => s.key === e.key.toLowerCase());
        if (section) {
          e.preventDefault();
          actions.showSection(section.id);
        }
        return;
      }
      if (e.key === 'g') {
        gAt = Math.max(now, 1);
      } else if (e.key === '?') {
        e.preventDefault();
        actions.openShortcuts();
      } else if (e.key === '/' && focusSectionFilter()) {
        e.preventDefault();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [actions, enabled]);
}
