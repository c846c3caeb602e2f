// The chromium host's console server: only its own origin, only files below dist/renderer, always the CSP.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleSenderCheck } from '../../electron/hosts/chromium-console';
import { bridgeScript } from '../../electron/hosts/console-bridge';
import { resolveAsset, startConsoleServer, type ConsoleServer } from '../../electron/hosts/console-server';
import { LOOPBACK_CONSOLE_CSP as CONSOLE_CSP } from '../../electron/bundle/csp';
import { CHANNELS } from '../../shared/ipc/contract';

let dir: string;
let root: string;
let server: ConsoleServer;

function get(path: string, options: { host?: string; method?: string } = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const url = new URL(server.origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers: { host: options.host ?? url.host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'usher-console-server-'));
  root = join(dir, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'outside');
  server = await startConsoleServer(root);
});

afterAll(async () => {
  await server.close();
});

describe('console server', () => {
  it('listens on 127.0.0.1 only and serves index.html and assets with the CSP', async () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>console</title>');
    expect(index.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("default-src 'none'");
    expect(CONSOLE_CSP).toContain("connect-src 'none'");
    const js = await get('/assets/app.js');
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(js.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses path traversal, hidden files, other hosts and other methods', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets%5c..%5c..%5csecret.txt',
      '/.env',
      '/index.html%00.js',
    ]) {
      expect((await get(path)).status, path).toBe(404);
    }
    expect(resolveAsset(root, '/../secret.txt')).toBeUndefined();
    expect((await get('/', { host: 'evil.example:80' })).status).toBe(421);
    expect((await get('/', { method: 'POST' })).status).toBe(405);
  });
});

describe('console bridge', () => {
  it('trusts only the console page id on the console origin', () => {
    const check = consoleSenderCheck('page-1', 'http://127.0.0.1:5000');
    expect(check({ kind: 'chromium', pageId: 'page-1', url: 'http://127.0.0.1:5000/index.html' })).toBe(true);
    expect(check({ kind: 'chromium', pageId: 'page-1:subframe', url: 'http://127.0.0.1:5000/' })).toBe(false);
    expect(check({ kind: 'chromium', pageId: 'page-1', url: 'https://localhost:443/hub/' })).toBe(false);
    expect(check({ kind: 'chromium', pageId: 'page-1', url: 'not a url' })).toBe(false);
    expect(check({ kind: 'electron', webContentsId: 1, url: 'http://127.0.0.1:5000/' })).toBe(false);
  });

  it('builds a self-contained init script naming every channel', () => {
    const script = bridgeScript('http://127.0.0.1:5000');
    expect(() => new Function(script)).not.toThrow();
    for (const channel of CHANNELS) expect(script).toContain(JSON.stringify(channel));
    expect(script).not.toMatch(/\brequire\(|\bimport\s*\(|^\s*import\s/m);
  });
});
