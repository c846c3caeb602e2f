// A tiny external authentication module, as people write them: the proxy sends the browser here with
// proxyRestUri and targetId; it "logs the person in" (no form: the user is the login_hint, or alice), asks
// QPS for a ticket with the site's exported certificates and sends the browser to TargetUri?qlikTicket=.
// Each defect switches off one thing a correct module does, so the validator can be shown to catch it.
import https from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { appendQlikTicket } from '../../../shared/ticket-url';

export type SampleDefect =
  | 'no-xrfkey-header'
  | 'xrfkey-mismatch'
  | 'no-client-certificate'
  | 'forgets-target-id'
  | 'camelcase-body'
  | 'redirects-without-ticket'
  | 'redeems-ticket-itself'
  | 'global-target-id'
  // TLS verification off for its QPS call, as a popular helper module does ("self-signed certificates").
  | 'skips-tls-verification'
  // After its first login the process is gone (crashed, killed): nothing listens any more.
  | 'dies-after-first-login'
  // After its first login it still accepts connections but never answers (a hung process).
  | 'hangs-after-first-login';

export interface SampleModuleOptions {
  /** Undefined: the correct module. */
  defect?: SampleDefect;
  /** The module's own HTTPS certificate (for 127.0.0.1). */
  tls: { certPem: string; keyPem: string };
  /** Where the site's certificate export is (read at each request, so it may appear later). */
  certificatesDir?: string;
  /** Where a module that lost the target sends people (the forgets-target-id defect). */
  hubUrl?: string;
}

export interface SampleModule {
  /** The login URL to configure as authenticationModuleRedirectUri. */
  url: string;
  configure(settings: { certificatesDir?: string; hubUrl?: string }): void;
  close(): Promise<void>;
}

interface QpsAnswer {
  status: number;
  text: string;
}

function xrfkey(): string {
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return [...randomBytes(16)].map((b) => chars[b % chars.length]).join('');
}

function send(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(text);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startSampleModule(options: SampleModuleOptions): Promise<SampleModule> {
  const settings = { certificatesDir: options.certificatesDir, hubUrl: options.hubUrl };
  const defect = options.defect;
  // The bug of a popular sample module: the targetId of "the" login request lives in one variable.
  let globalTargetId: string | undefined;

  function certificates(): { cert: string; key: string; ca: string } {
    if (!settings.certificatesDir) throw new Error('not configured: no certificates folder');
    const read = (name: string): string => readFileSync(join(settings.certificatesDir!, name), 'utf8');
    return { cert: read('client.pem'), key: read('client_key.pem'), ca: read('root.pem') };
  }

  function callQps(proxyRestUri: string, body: Record<string, unknown>): Promise<QpsAnswer> {
    const { cert, key, ca } = certificates();
    const key16 = xrfkey();
    const url = new URL(`ticket?xrfkey=${key16}`, proxyRestUri);
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (defect !== 'no-xrfkey-header') headers['X-Qlik-Xrfkey'] = defect === 'xrfkey-mismatch' ? xrfkey() : key16;
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        url,
        {
          method: 'POST',
          headers,
          ...(defect === 'skips-tls-verification' ? { rejectUnauthorized: false } : { ca }),
          ...(defect === 'no-client-certificate' ? {} : { cert, key }),
          timeout: 10_000,
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('QPS timeout')));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** What the redeems-ticket-itself defect does: opens the ticket URL with its own HTTP client first. */
  function redeemItself(url: string): Promise<void> {
    const { ca } = certificates();
    return new Promise((resolve) => {
      const req = https.get(url, { ca, timeout: 10_000 }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', () => resolve());
    });
  }

  async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://module.invalid');
    if (url.pathname !== '/login') return send(res, 404, 'not found');
    const proxyRestUri = url.searchParams.get('proxyRestUri');
    let targetId = url.searchParams.get('targetId') ?? undefined;
    if (!proxyRestUri) return send(res, 400, 'open Qlik Sense first: this page needs proxyRestUri and targetId');
    if (defect === 'global-target-id') {
      globalTargetId = targetId;
      // "Checking the password" takes a moment; meanwhile another person's login overwrites the variable.
      await sleep(500);
      targetId = globalTargetId;
    }
    const user = url.searchParams.get('login_hint') || 'alice';
    const pascal = {
      UserDirectory: 'SAMPLE',
      UserId: user,
      Attributes: [{ Group: 'Testers' }],
      ...(defect === 'forgets-target-id' ? {} : { TargetId: targetId }),
    };
    const body = defect === 'camelcase-body' ? { userDirectory: pascal.UserDirectory, userId: pascal.UserId, attributes: pascal.Attributes, targetId } : pascal;
    let answer: QpsAnswer;
    try {
      answer = await callQps(proxyRestUri, body);
    } catch (err) {
      return send(res, 502, `could not reach QPS: ${(err as Error).message}`);
    }
    if (answer.status !== 201 && answer.status !== 200) return send(res, 502, `QPS refused the ticket request: HTTP ${answer.status} ${answer.text}`);
    const ticket = JSON.parse(answer.text) as { Ticket: string; TargetUri?: string };
    let target = ticket.TargetUri;
    if (!target) {
      if (defect !== 'forgets-target-id' || !settings.hubUrl) return send(res, 400, 'unknown or expired targetId: open Qlik Sense again');
      target = settings.hubUrl;
    }
    if (defect === 'redirects-without-ticket') return send(res, 302, '', { Location: target });
    const back = appendQlikTicket(target, ticket.Ticket);
    if (defect === 'redeems-ticket-itself') await redeemItself(back);
    send(res, 302, '', { Location: back });
    if (defect === 'dies-after-first-login') res.on('finish', () => die());
    if (defect === 'hangs-after-first-login') hung = true;
  }

  let hung = false;
  /** As a killed process: the listener goes and every open connection is cut. */
  function die(): void {
    server.close();
    server.closeAllConnections();
  }

  const server = https.createServer({ cert: options.tls.certPem, key: options.tls.keyPem }, (req, res) => {
    // A hung module reads the request and never answers (the validator's timeouts end the wait).
    if (hung) return;
    login(req, res).catch((err: Error) => send(res, 500, err.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}/login`,
    configure(next) {
      Object.assign(settings, next);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
