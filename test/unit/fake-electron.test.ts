// The Electron double keeps Electron's (Node's EventEmitter's) listener rules, so tests of code that
// relies on them (a download's 'done', a window's 'ready-to-show') mean what they say.
import { describe, expect, it, vi } from 'vitest';
import { Emitter } from '../support/fake-electron';

describe('fake electron emitters', () => {
  it('runs a once listener on the first event only', () => {
    const emitter = new Emitter();
    const listener = vi.fn();
    emitter.once('done', listener);
    emitter.emit('done', 'completed');
    emitter.emit('done', 'cancelled');
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]?.[1]).toBe('completed');
    expect(emitter.count('done')).toBe(0);
  });

  it('removes a once listener by the function registered, before it ran', () => {
    const emitter = new Emitter();
    const listener = vi.fn();
    emitter.once('closed', listener);
    emitter.removeListener('closed', listener);
    emitter.emit('closed');
    expect(listener).not.toHaveBeenCalled();
  });

  it('keeps on listeners for every event', () => {
    const emitter = new Emitter();
    const listener = vi.fn();
    emitter.on('did-navigate', listener);
    emitter.emit('did-navigate');
    emitter.emit('did-navigate');
    expect(listener).toHaveBeenCalledTimes(2);
  });
});
