// The preload exposes `window.usher` (one named function per channel plus `on`) and `window.usherFiles`,
// and nothing else: never ipcRenderer, never a generic send, only allow-listed events.
import { describe, expect, it, vi } from 'vitest';
import { CHANNELS, EVENTS, ipcChannelName, ipcEventName } from '../../shared/ipc/contract';
import { fakeElectron } from '../support/fake-electron';
import { createUsherApi } from '../../electron/preload/api';
import '../../electron/preload/index';

// Hoisted by vitest; the factory runs when the preload imports 'electron' (the fake is loaded by then).
vi.mock('electron', () => fakeElectron);

const state = fakeElectron.state;
type Api = Record<string, (...args: unknown[]) => unknown>;
const usher = state.exposed.get('usher') as Api;

describe('preload', () => {
  it('exposes exactly usher and usherFiles', () => {
    expect([...state.exposed.keys()].sort()).toEqual(['usher', 'usherFiles']);
  });

  it('exposes one function per channel plus on, and nothing else', () => {
    expect(Object.keys(usher).sort()).toEqual([...CHANNELS, 'on'].sort());
    for (const value of Object.values(usher)) expect(typeof value).toBe('function');
    expect(Object.isFrozen(usher)).toBe(true);
    const text = Object.values(usher).map(String).join('\n');
    expect(Object.values(usher)).not.toContain(fakeElectron.ipcRenderer);
    expect(text).not.toMatch(/\bsend\(/);
  });

  it('invokes the prefixed channel with the request, and only that', async () => {
    state.invocations.length = 0;
    await expect(usher['profiles.select']!({ id: 'demo' })).resolves.toEqual({ ok: true, value: { channel: ipcChannelName('profiles.select') } });
    expect(state.invocations).toEqual([{ channel: 'usher:profiles.select', args: [{ id: 'demo' }] }]);
  });

  it('turns a broken bridge into an IpcResult instead of a rejection', async () => {
    const api = createUsherApi({
      invoke: () => Promise.reject(new Error('An object could not be cloned')),
      on: () => undefined,
      removeListener: () => undefined,
    }) as unknown as Api;
    await expect(api['app.state']!({})).resolves.toMatchObject({ ok: false, error: { code: 'IPC_FAILED' } });
  });

  it('subscribes to allow-listed events with the prefixed name, passes only the payload, and unsubscribes', () => {
    for (const event of EVENTS) {
      const listener = vi.fn();
      const off = usher.on!(event, listener) as () => void;
      const registered = state.rendererListeners.get(ipcEventName(event)) ?? [];
      expect(registered).toHaveLength(1);
      const fakeEvent = { sender: fakeElectron.ipcRenderer, senderId: 0 };
      registered[0]!(fakeEvent, { value: 1 }, 'extra');
      expect(listener).toHaveBeenCalledWith({ value: 1 });
      expect(listener.mock.calls[0]).toHaveLength(1);
      off();
      off();
      expect(state.rendererListeners.get(ipcEventName(event))).toHaveLength(0);
    }
  });

  it.each(['no.such', 'usher-event:app.state', '__proto__', '', 42, null, undefined])('refuses event %s', (event) => {
    const before = [...state.rendererListeners.values()].flat().length;
    expect(() => usher.on!(event, () => undefined)).toThrow(/unknown event/);
    expect([...state.rendererListeners.values()].flat().length).toBe(before);
  });

  it('refuses a listener that is not a function', () => {
    expect(() => usher.on!('app.state', 'alert(1)')).toThrow(/function/);
  });

  it('usherFiles gives the path of a File and refuses anything else', () => {
    const files = state.exposed.get('usherFiles') as { pathForFile(file: unknown): string };
    expect(files.pathForFile(new File(['x'], 'root.pem'))).toBe('/dropped/root.pem');
    expect(() => files.pathForFile({ name: 'root.pem' })).toThrow();
    expect(() => files.pathForFile('/etc/passwd')).toThrow(/File/);
  });
});
