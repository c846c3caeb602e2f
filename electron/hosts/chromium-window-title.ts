// The name of a chromium partition window: a chromium app window's title bar is the document's title,
// and the host has no other way to name the window, so the title is set in the document and kept there
// (the hub renames its tab as apps open).
import type { Page } from 'playwright-core';

/**
 * Sets the document's title and keeps it. The one observer per document reads the latest title from
 * the page's global, so a later call replaces the name.
 */
export async function keepTitle(page: Page, title: string): Promise<void> {
  await page.evaluate((name) => {
    const g = globalThis as unknown as {
      usherWindowTitle?: string;
      document: { title: string; head: object | null; documentElement: object };
      MutationObserver: new (cb: () => void) => { observe(node: object, options: object): void };
    };
    g.usherWindowTitle = name;
    const apply = (): void => {
      if (g.usherWindowTitle !== undefined && g.document.title !== g.usherWindowTitle) g.document.title = g.usherWindowTitle;
    };
    apply();
    const marked = g.document.documentElement as { usherTitleKept?: boolean };
    if (marked.usherTitleKept) return;
    marked.usherTitleKept = true;
    new g.MutationObserver(apply).observe(g.document.documentElement, { subtree: true, childList: true, characterData: true });
  }, title);
}
