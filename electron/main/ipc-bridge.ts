// Connects Electron's IPC to the host-agnostic router: one ipcMain.handle per contract channel (no
// generic "send anything" channel), the sender described from what Electron knows about it, and the
// backend's events pushed to the console window only.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNELS, EVENTS, ipcChannelName, ipcEventName, type EventName, type EventTypes } from '../../shared/ipc/contract';
import type { Router, SenderInfo } from '../ipc/router';
import { isConsoleUrl } from './origin';

/**
 * What Electron says about the caller. The URL is the sending frame's own, and only if that frame is
 * a top-level frame: an iframe inside the console (there should be none) gets an empty URL and fails
 * the sender check.
 */
export function senderInfoOf(event: IpcMainInvokeEvent): SenderInfo {
  const frame = event.senderFrame;
  const url = frame && frame.parent === null ? frame.url : '';
  return { kind: 'electron', webContentsId: event.sender.id, url };
}

/** Trusted = the console window's own WebContents, showing a console page (app://console/...). */
export function consoleSenderCheck(consoleWebContentsId: () => number | undefined): (sender: SenderInfo) => boolean {
  return (sender) => {
    const id = consoleWebContentsId();
    return sender.kind === 'electron' && id !== undefined && sender.webContentsId === id && isConsoleUrl(sender.url);
  };
}

/** Registers a handler per channel; returns a function that removes them all. */
export function registerIpcHandlers(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, router: Router): () => void {
  for (const channel of CHANNELS) {
    // Each handler knows its channel: the renderer cannot pick one by sending a name.
    ipcMain.handle(ipcChannelName(channel), (event, payload: unknown) => router.dispatch(senderInfoOf(event), channel, payload));
  }
  return () => {
    for (const channel of CHANNELS) ipcMain.removeHandler(ipcChannelName(channel));
  };
}

export interface EventSource {
  on<E extends EventName>(event: E, listener: (payload: EventTypes[E]) => void): unknown;
}

/** Sends every contract event to the console's WebContents (when it exists and is alive). */
export function forwardEvents(events: EventSource, target: () => WebContents | undefined): void {
  for (const name of EVENTS) {
    events.on(name, (payload: unknown) => {
      const contents = target();
      if (!contents || contents.isDestroyed()) return;
      try {
        contents.send(ipcEventName(name), payload);
      } catch {
        // An unclonable payload or a window going away must not break the backend's emitter.
      }
    });
  }
}
