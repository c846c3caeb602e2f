// The engine JSON-RPC client's failures are typed: every way a call can fail (the engine's own error,
// no answer in time, the socket gone) is an EngineError with a code and a hint, so the faces render it as
// any other UsherError rather than as an unexpected error.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { failureReport } from '../../electron/cli/errors';
import { EngineCallError, EngineError, EngineRefusedError, EngineRpc } from '../../electron/core/qlik/engine-rpc';
import { typedError } from '../../electron/ipc/router';

function rpcWithSent(timeoutMs = 1_000): { rpc: EngineRpc; sent: Array<{ id: number; method: string }> } {
  const sent: Array<{ id: number; method: string }> = [];
  const rpc = new EngineRpc({ send: (text) => sent.push(JSON.parse(text)), close: () => undefined }, timeoutMs);
  return { rpc, sent };
}

describe('engine RPC errors', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('an engine error answer is an EngineCallError with the QIX code kept apart from the error code', async () => {
    const { rpc, sent } = rpcWithSent();
    const call = rpc.call(-1, 'OpenDoc', ['a2-finance']);
    rpc.receive(JSON.stringify({ jsonrpc: '2.0', id: sent[0]!.id, error: { code: 5, message: 'Access denied' } }));
    const err = await call.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineCallError);
    expect(err).toMatchObject({ code: 'ENGINE_CALL_FAILED', qixCode: 5, method: 'OpenDoc', message: 'OpenDoc: Access denied (QIX error 5)' });
    expect((err as EngineError).hint).toMatch(/security rules/);
  });

  it.each([
    [1003, /no app with that id/],
    [-32601, /no such method/],
    [1234, /engine's log on that node/],
  ])('QIX error %i carries a hint saying what to do', async (code, hint) => {
    const { rpc, sent } = rpcWithSent();
    const call = rpc.call(-1, 'OpenDoc', ['x']);
    rpc.receive(JSON.stringify({ jsonrpc: '2.0', id: sent[0]!.id, error: { code, message: 'refused' } }));
    const err = (await call.catch((e: unknown) => e)) as EngineError;
    expect(err).toMatchObject({ code: 'ENGINE_CALL_FAILED', qixCode: code });
    expect(err.hint).toMatch(hint);
  });

  it('a call without an answer fails with ENGINE_TIMEOUT when its deadline passes, not before', async () => {
    const { rpc } = rpcWithSent(500);
    let settled: unknown;
    const call = rpc.call(-1, 'EngineVersion', []).catch((e: unknown) => (settled = e));
    await vi.advanceTimersByTimeAsync(499);
    expect(settled).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await call;
    expect(settled).toBeInstanceOf(EngineError);
    expect(settled).toMatchObject({ code: 'ENGINE_TIMEOUT', message: 'EngineVersion: no answer from the engine within 500 ms' });
  });

  it('the socket closing fails the waiting call and every later one with ENGINE_CLOSED', async () => {
    const { rpc } = rpcWithSent();
    const waiting = rpc.call(-1, 'GetDocList', []).catch((e: unknown) => e);
    rpc.closed('1000 Session timed out');
    expect(await waiting).toMatchObject({ code: 'ENGINE_CLOSED', message: 'GetDocList: the engine socket is closed (1000 Session timed out)' });
    expect(await rpc.call(-1, 'EngineVersion', []).catch((e: unknown) => e)).toMatchObject({ code: 'ENGINE_CLOSED' });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('engine errors reach both faces with their code and hint', () => {
  const samples: EngineError[] = [
    new EngineCallError(5, 'Access denied', 'OpenDoc'),
    new EngineRefusedError(403, 'Cross-Site Websocket Hijacking attack prevention check failed'),
    new EngineError('ENGINE_TIMEOUT', 'GetLayout: no answer from the engine within 10 ms', 'allow a longer timeout'),
  ];

  it.each(samples)('%s', (err) => {
    const cli = failureReport(err);
    expect(cli.unexpected).toBe(false);
    expect(cli.exitCode).toBe(1);
    expect(cli.lines[0]).toBe(`usher: ${err.message}`);
    expect(cli.lines[1]).toBe(`  hint: ${err.hint}`);
    expect(typedError(err)).toEqual({ code: err.code, message: err.message, hint: err.hint });
  });
});
