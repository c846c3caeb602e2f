// The host-agnostic IPC router: sender check first, then the channel, then the payload schema, then the
// handler; every outcome a plain IpcResult, every unexpected failure a generic INTERNAL without a stack.
import { describe, expect, it, vi } from 'vitest';
import { CertImportError } from '../../electron/core/certs/errors';
import { BrowserRequestError } from '../../electron/core/browser/browser-client';
import { ProfileError } from '../../electron/core/profiles/errors';
import { QlikError } from '../../electron/core/qlik/errors';
import { VaultError } from '../../electron/core/vault/errors';
import { createRouter, type Handlers, type SenderInfo } from '../../electron/ipc/router';
import { CHANNELS } from '../../shared/ipc/contract';
import { UsherError } from '../../shared/errors';

const CONSOLE: SenderInfo = { kind: 'electron', webContentsId: 1, url: 'app://console/index.html' };
const PARTITION: SenderInfo = { kind: 'electron', webContentsId: 2, url: 'https://qlik.example/hub' };

function fakeHandlers(): Handlers & Record<string, ReturnType<typeof vi.fn>> {
  return Object.fromEntries(CHANNELS.map((c) => [c, vi.fn(async (req: unknown) => ({ channel: c, req }))])) as never;
}

function setup(overrides: Partial<Record<string, (req: never) => Promise<unknown>>> = {}) {
  const handlers = { ...fakeHandlers(), ...overrides } as Handlers;
  const onError = vi.fn();
  const router = createRouter({
    handlers,
    isTrustedSender: (s) => s.kind === 'electron' && s.webContentsId === 1 && s.url.startsWith('app://console/'),
    onError,
  });
  return { router, handlers: handlers as unknown as Record<string, ReturnType<typeof vi.fn>>, onError };
}

describe('IPC router', () => {
  it('routes a valid call to its handler with the parsed payload', async () => {
    const { router, handlers } = setup();
    await expect(router.dispatch(CONSOLE, 'profiles.select', { id: 'demo' })).resolves.toEqual({
      ok: true,
      value: { channel: 'profiles.select', req: { id: 'demo' } },
    });
    expect(handlers['profiles.select']).toHaveBeenCalledWith({ id: 'demo' });
  });

  it('refuses untrusted senders before looking at anything else', async () => {
    const { router, handlers } = setup();
    for (const sender of [PARTITION, { kind: 'chromium', pageId: 'p1', url: 'app://console/index.html' } as SenderInfo]) {
      await expect(router.dispatch(sender, 'profiles.list', {})).resolves.toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
      // Not even whether a channel exists.
      await expect(router.dispatch(sender, 'no.such', {})).resolves.toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
    }
    expect(Object.values(handlers).every((h) => h.mock.calls.length === 0)).toBe(true);
  });

  it('treats a sender check that throws as untrusted', async () => {
    const router = createRouter({
      handlers: fakeHandlers(),
      isTrustedSender: () => {
        throw new Error('boom');
      },
    });
    await expect(router.dispatch(CONSOLE, 'profiles.list', {})).resolves.toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
  });

  it.each([['no.such'], ['__proto__'], ['constructor'], ['toString'], ['hasOwnProperty'], [''], [42], [null], [undefined], [{}], [Symbol('x')]])(
    'refuses unknown channel %s',
    async (channel) => {
      const { router } = setup();
      const result = await router.dispatch(CONSOLE, channel, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    },
  );

  it('refuses text holding half of a surrogate pair: handlers that build URLs from it would throw', async () => {
    const { router, handlers } = setup();
    const scope = (userId: string) => ({ profileId: 'demo', scope: { kind: 'user', userDirectory: 'CORP', userId } });
    for (const userId of ['\uD800', 'a\uDFFFb', 'x\uDBFF', '\uDC00\uD800']) {
      await expect(router.dispatch(CONSOLE, 'sessions.end', scope(userId))).resolves.toEqual({
        ok: false,
        error: {
          code: 'INVALID_REQUEST',
          message: 'Invalid request for sessions.end: scope.userId: must be well-formed text (it holds half of a surrogate pair)',
        },
      });
    }
    expect(handlers['sessions.end']).not.toHaveBeenCalled();
    // Whole pairs (an emoji) are text like any other.
    await expect(router.dispatch(CONSOLE, 'sessions.end', scope('😀\uD83D\uDE00'))).resolves.toMatchObject({ ok: true });
  });

  it('rejects invalid payloads with the schema message, before the handler', async () => {
    const { router, handlers } = setup();
    const result = await router.dispatch(CONSOLE, 'profiles.select', { id: 'bad id with spaces' });
    expect(result).toEqual({ ok: false, error: { code: 'INVALID_REQUEST', message: 'Invalid request for profiles.select: id: has an unexpected form' } });
    await expect(router.dispatch(CONSOLE, 'profiles.select', { id: 'x', extra: 1 })).resolves.toMatchObject({
      error: { code: 'INVALID_REQUEST', message: expect.stringContaining('extra: not expected here') },
    });
    await expect(router.dispatch(CONSOLE, 'app.state', undefined)).resolves.toMatchObject({ error: { code: 'INVALID_REQUEST' } });
    expect(handlers['profiles.select']).not.toHaveBeenCalled();
  });

  it('accepts only folder-safe partition ids (the hosts\' pattern): never ".", ".." or a path', async () => {
    const { router, handlers } = setup();
    const calls: Array<[string, (id: string) => unknown]> = [
      ['partitions.destroy', (partitionId) => ({ partitionId })],
      ['partitions.clear', (partitionId) => ({ partitionId })],
      ['partitions.copyCookie', (partitionId) => ({ partitionId, name: 'X-Qlik-Session', domain: 'localhost', path: '/' })],
      ['tickets.open', (partitionId) => ({ ticketId: 't1', target: { kind: 'hub' }, partition: { kind: 'existing', partitionId } })],
    ];
    for (const [channel, request] of calls) {
      for (const bad of ['..', '.', '.hidden', '../data', 'a/b', 'a\\b', 'persist:x', 'x'.repeat(101)]) {
        await expect(router.dispatch(CONSOLE, channel, request(bad)), `${channel} ${bad}`).resolves.toMatchObject({
          ok: false,
          error: { code: 'INVALID_REQUEST' },
        });
      }
      await expect(router.dispatch(CONSOLE, channel, request('p-0b9c.x_1'))).resolves.toMatchObject({ ok: true });
      expect(handlers[channel]).toHaveBeenCalledTimes(1);
    }
  });

  it('passes the parsed copy, not the caller object, to the handler', async () => {
    const { router, handlers } = setup();
    const payload = { id: 'demo' };
    await router.dispatch(CONSOLE, 'profiles.select', payload);
    expect(handlers['profiles.select']!.mock.calls[0]![0]).not.toBe(payload);
  });

  it('keeps the code, message and hint of the typed core errors', async () => {
    const errors: Record<string, Error & { code: string; hint: string }> = {
      'profiles.select': new ProfileError('NOT_FOUND', 'No profile "x"', 'Pick one from the list.'),
      'certs.inspect': new CertImportError('WRONG_PASSPHRASE', 'The passphrase does not open client.pfx', 'Use the QMC export passphrase.'),
      'profiles.list': new VaultError('KEYCHAIN_UNAVAILABLE', 'No keychain', 'Install gnome-keyring.'),
      'tickets.open': new BrowserRequestError('UNTRUSTED_CERT', 'Refused https://x', 'Use the site CA.'),
      'trust.run': new QlikError('CLIENT_CERT_REFUSED', 'QPS refused the client certificate', 'Export it again.'),
    };
    const { router } = setup(
      Object.fromEntries(
        Object.entries(errors).map(([c, e]) => [
          c,
          async () => {
            throw e;
          },
        ]),
      ),
    );
    const payloads: Record<string, unknown> = {
      'profiles.select': { id: 'x' },
      'certs.inspect': { input: { kind: 'folder', path: '/x' } },
      'profiles.list': {},
      'tickets.open': { ticketId: 't1', target: { kind: 'hub' } },
      'trust.run': { input: { kind: 'folder', path: '/x' }, qps: 'https://qlik:4243', qrs: 'https://qlik:4242' },
    };
    for (const [channel, err] of Object.entries(errors)) {
      const result = await router.dispatch(CONSOLE, channel, payloads[channel]);
      expect(result, channel).toEqual({ ok: false, error: { code: err.code, message: err.message, hint: err.hint } });
    }
  });

  it('maps anything else to INTERNAL without message details or stack, and reports it', async () => {
    const secretError = new Error('ENOENT: /home/alice/.usher/keys/client_key.pem at Object.openSync (node:fs:1)');
    const throwers: Array<() => unknown> = [
      () => {
        throw secretError;
      },
      () => {
        throw Object.assign(new Error('system'), { code: 'ENOENT' });
      }, // Node code, no hint
      () => {
        throw new UsherError('UNTRUSTED_SENDER', 'fake', 'impersonating the router');
      },
      () => {
        throw new UsherError('lower case', 'odd', 'x');
      },
      // The shape of a typed error without the base: a library's error may look like one.
      () => {
        throw Object.assign(new Error('ENOENT: client_key.pem'), { code: 'LIBRARY_CODE', hint: 'impersonating a typed error' });
      },
      () => {
        throw 'a string';
      },
      () => {
        throw undefined;
      },
      () => {
        throw { code: 'PLAIN_OBJECT', message: 'm', hint: 'h' };
      }, // not an Error
      () => {
        throw new Proxy(new Error('x'), {
          get() {
            throw new Error('hostile getter');
          },
        });
      },
      () => Promise.reject(new TypeError('x is not a function')),
    ];
    for (const thrower of throwers) {
      const { router, onError } = setup({ 'profiles.list': async () => thrower() });
      const result = await router.dispatch(CONSOLE, 'profiles.list', {});
      expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
      const text = JSON.stringify(result);
      expect(text).not.toMatch(/alice|client_key|node:fs|ENOENT|at Object|stack|hostile|impersonating/);
      expect(onError).toHaveBeenCalledTimes(1);
      expect(onError.mock.calls[0]![0]).toBe('profiles.list');
    }
  });

  it('never leaks a stack even from typed errors', async () => {
    const err = new ProfileError('NOT_FOUND', 'No profile', 'hint');
    const { router } = setup({
      'profiles.list': async () => {
        throw err;
      },
    });
    const result = await router.dispatch(CONSOLE, 'profiles.list', {});
    expect(JSON.stringify(result)).not.toContain('at ');
    expect(Object.keys((result as { error: object }).error).sort()).toEqual(['code', 'hint', 'message']);
  });

  it('returns structured-clone-safe values and refuses unclonable ones', async () => {
    const { router, onError } = setup({
      'profiles.list': async () => ({ when: new Date(0), list: [1, 2] }),
      'app.state': async () => ({ callback: () => 1 }),
    });
    const ok = await router.dispatch(CONSOLE, 'profiles.list', {});
    expect(ok).toEqual({ ok: true, value: { when: new Date(0), list: [1, 2] } });
    expect(() => structuredClone(ok)).not.toThrow();
    await expect(router.dispatch(CONSOLE, 'app.state', {})).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(onError).toHaveBeenCalledWith('app.state', expect.any(Error));
  });

  it('a failing onError does not break the call', async () => {
    const router = createRouter({
      handlers: {
        ...fakeHandlers(),
        'profiles.list': async () => {
          throw new Error('x');
        },
      } as Handlers,
      isTrustedSender: () => true,
      onError: () => {
        throw new Error('logger down');
      },
    });
    await expect(router.dispatch(CONSOLE, 'profiles.list', {})).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('clips very long messages from typed errors', async () => {
    const { router } = setup({
      'profiles.list': async () => {
        throw new ProfileError('INVALID', 'x'.repeat(100_000), 'y'.repeat(100_000));
      },
    });
    const result = (await router.dispatch(CONSOLE, 'profiles.list', {})) as { ok: false; error: { message: string; hint: string } };
    expect(result.error.message.length).toBeLessThan(2100);
    expect(result.error.hint.length).toBeLessThan(2100);
  });
});
