// The trust wizard's native picker under Electron: dialog.showOpenDialog, attached to the console window,
// for the QMC export folder, a PEM file or a PFX. Only the chosen path goes back; the files are read and
// checked by certs.inspect like a typed path.
import { dialog, type BrowserWindow, type OpenDialogOptions } from 'electron';
import type { FileChooser } from '../app/console-channels';

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
