// How the CLI prints a trust-check step: its findings (the WebSocket diagnosis's pieces) one per line.
import { describe, expect, it } from 'vitest';
import { trustStepPrinter } from '../../electron/cli/trust-output';

describe('trust step printer', () => {
  it('prints each finding of a step on a line of its own, under the step', () => {
    const out: string[] = [];
    const print = trustStepPrinter((text) => out.push(text));
    print({ id: 'socket', title: "A mashup's engine WebSocket, piece by piece", status: 'running' });
    print({
      id: 'socket',
      title: "A mashup's engine WebSocket, piece by piece",
      status: 'warn',
      ms: 12,
      detail: 'a mashup on https://mashup.example cannot open the engine socket',
      findings: ['ok      session cookie: set.', 'MISSING origin in the allow list: refused. Fix: add mashup.example.'],
    });
    expect(out).toEqual([
      [
        "warn 1. A mashup's engine WebSocket, piece by piece (12 ms)",
        '       a mashup on https://mashup.example cannot open the engine socket',
        '       ok      session cookie: set.',
        '       MISSING origin in the allow list: refused. Fix: add mashup.example.',
      ].join('\n'),
    ]);
  });
});
