// `usher simulate` serves Qlik's own enigma.js authentication examples (sense-using-ticket and
// sense-using-certificates) as a real site does: the scripts in test/support/enigma-examples keep the
// examples' shape and run as separate Node processes against the command's addresses and QMC export.
import { execFile, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulate, type ReadyLine } from '../support/cli';
import { qrsGuid } from '../../electron/simulator/site';

const EXAMPLES = join(__dirname, '..', 'support', 'enigma-examples');
const ROOT = join(__dirname, '..', '..');

async function runExample(file: string, env: Record<string, string>): Promise<{ apps: string[]; user: string }> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(EXAMPLES, file)], {
    cwd: ROOT,
    timeout: 30_000,
    env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules'), ...env },
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as { apps: string[]; user: string };
}

describe('enigma.js examples against usher simulate', () => {
  let child: ChildProcess;
  let ready: ReadyLine & { nodes: Array<{ engine?: string }> };

  beforeAll(async () => {
    ({ child, ready } = await startSimulate(['--out', join(tmpdir(), `usher-enigma-${process.pid}`)]));
  });
  afterAll(() => {
    child.kill('SIGTERM');
  });

  it('sense-using-ticket: a QPS ticket redeemed on the engine socket', async () => {
    const node = ready.nodes[0]!;
    const out = await runExample('ticket.js', {
      EXAMPLE_CERTS: ready.certificates,
      EXAMPLE_QPS_HOST: new URL(node.qps).host,
      EXAMPLE_PROXY_HOST: new URL(node.hub).host,
      EXAMPLE_USER_DIRECTORY: 'MASHUP',
      EXAMPLE_USER_ID: 'a2-finance',
      NODE_EXTRA_CA_CERTS: join(ready.certificates, 'root.pem'),
    });
    expect(out).toEqual({ apps: [qrsGuid('app', 'a2-finance')], user: 'UserDirectory=MASHUP; UserId=a2-finance' });
  });

  it('sense-using-certificates: the engine port with the client certificate and X-Qlik-User', async () => {
    const engine = new URL(ready.nodes[0]!.engine!);
    const out = await runExample('certificates.js', {
      EXAMPLE_CERTS: ready.certificates,
      EXAMPLE_ENGINE_HOST: engine.hostname,
      EXAMPLE_ENGINE_PORT: engine.port,
      EXAMPLE_USER_DIRECTORY: 'DEMO',
      EXAMPLE_USER_ID: 'alice',
    });
    expect(out).toEqual({ apps: ['a1-sales', 'a2-finance', 'a3-hr'].map((id) => qrsGuid('app', id)), user: 'UserDirectory=DEMO; UserId=alice' });
  });
});
