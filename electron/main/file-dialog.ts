// The native file dialogs under Electron, attached to the console window. Open: the trust wizard's
// picker for the QMC export folder, a PEM file or a PFX; only the chosen path goes back, and the files
// are read and checked by certs.inspect like a typed path. Save: where an export goes (files.save); the
// main process writes it there, the dialog having asked before replacing a file.
import { join } from 'node:path';
import { app, dialog, type BrowserWindow, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import type { FileChooser } from '../app/console-channels';
import type { FileSaver } from '../app/export-service';

const OPTIONS: Record<Parameters<FileChooser>[0], OpenDialogOptions> = {
  folder: { title: 'The folder the QMC exported the certificates to', properties: ['openDirectory'] },
  pem: { title: 'A PEM file of the QMC export', properties: ['openFile'], filters: [{ name: 'PEM', extensions: ['pem', 'crt', 'key'] }] },
  pfx: { title: 'The PFX file of the QMC export', properties: ['openFile'], filters: [{ name: 'PFX', extensions: ['pfx', 'p12'] }] },
};

export function electronFileChooser(parent: () => BrowserWindow | undefined): FileChooser {
  return async (what) => {
    const window = parent();
    const options = OPTIONS[what];
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    return result.canceled ? undefined : result.filePaths[0];
  };
}

export function electronFileSaver(parent: () => BrowserWindow | undefined): FileSaver {
  return async ({ fileName, title, filter }) => {
    const window = parent();
    const options: SaveDialogOptions = {
      title,
      defaultPath: join(app.getPath('downloads'), fileName),
      filters: [filter, { name: 'All files', extensions: ['*'] }],
      properties: ['showOverwriteConfirmation', 'createDirectory'],
    };
    const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
    return { chosen: result.canceled || !result.filePath ? undefined : result.filePath };
  };
}
