// The application menu: the usual shortcuts through roles (so copy/paste, undo, zoom and quit behave as
// on every platform), a Go menu with the console's sections, Edit > Find for the section's filter and
// Help > Keyboard shortcuts. Those three only ask the console (a `console.command` event); nothing in the
// menu navigates. DevTools is offered only outside a packaged build.
import { Menu, type MenuItemConstructorOptions } from 'electron';
import { SECTIONS, type ConsoleCommand } from '../../shared/sections';

export interface MenuOptions {
  platform: NodeJS.Platform;
  appName: string;
  devTools: boolean;
  /** Hands a menu choice to the console window. */
  command(command: ConsoleCommand): void;
}

/**
 * The sections, with Ctrl+1..9 (Cmd on macOS) on the first nine: the console window has no tabs for
 * those keys to switch, and screen readers leave Ctrl+digit alone.
 */
function goMenu(command: MenuOptions['command']): MenuItemConstructorOptions[] {
  return SECTIONS.map((s, i) => ({
    label: s.title,
    ...(i < 9 ? { accelerator: `CmdOrCtrl+${i + 1}` } : {}),
    click: () => command({ kind: 'section', section: s.id }),
  }));
}

export function menuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: options.appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  template.push({ label: 'File', submenu: [mac ? { role: 'close' } : { role: 'quit' }] });
  template.push({
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
      { type: 'separator' },
      { label: 'Find in section', accelerator: 'CmdOrCtrl+F', click: () => options.command({ kind: 'filter' }) },
    ],
  });
  const view: MenuItemConstructorOptions[] = [
    { role: 'reload' },
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  if (options.devTools) view.splice(1, 0, { role: 'toggleDevTools' });
  template.push({ label: 'View', submenu: view });
  template.push({ label: 'Go', submenu: goMenu(options.command) });
  template.push({
    label: 'Window',
    submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
  });
  // The console's own `?` opens the same list, outside text fields.
  template.push({ role: 'help', submenu: [{ label: 'Keyboard shortcuts', click: () => options.command({ kind: 'shortcuts' }) }] });
  return template;
}

export function installMenu(options: MenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(options)));
}
