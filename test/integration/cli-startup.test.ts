// The CLI starts by loading only what the command needs: `usher --version` and `usher help` load the
// bundle and nothing from node_modules (not undici, node-forge, the simulator's PKI or the keyring), and a
// command that sends no request does not load undici.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runUsher, TEST_DATA_DIR, USHER_BIN } from '../support/cli';

const RECORDER = join(__dirname, '..', 'support', 'loaded-files.cjs');

async function loadedBy(args: string[]): Promise<{ code: number | null; stdout: string; files: string[] }> {
  const result = await runUsher(args, { nodeArgs: ['-r', RECORDER] });
  const line = result.stderr.split('\n').find((l) => l.startsWith('LOADED '));
  if (!line) throw new Error(`no list of loaded files; stderr: ${result.stderr}`);
  return { code: result.code, stdout: result.stdout, files: (JSON.parse(line.slice('LOADED '.length)) as string[]).filter((f) => f !== RECORDER) };
}

describe('usher start-up', () => {
  it('--version loads the bundle and no package', async () => {
    const { code, stdout, files } = await loadedBy(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(files.some((f) => f.endsWith(join('dist', 'cli', 'usher.js')))).toBe(true);
    expect(files.filter((f) => f.includes('node_modules'))).toEqual([]);
  });

  it('the overview (help, --help) loads no package either', async () => {
    for (const args of [['help'], ['--help']]) {
      const { code, files } = await loadedBy(args);
      expect(code, args.join(' ')).toBe(0);
      expect(
        files.filter((f) => f.includes('node_modules')),
        args.join(' '),
      ).toEqual([]);
    }
  });

  it('a command that sends nothing loads no undici (profile list)', async () => {
    // undici alone costs more CPU than starting Node: the modules that send load it on first use.
    const { code, stdout, files } = await loadedBy(['profile', 'list']);
    expect(code).toBe(0);
    expect(stdout).toContain('demo (built-in)');
    expect(files.filter((f) => f.includes(join('node_modules', 'undici')))).toEqual([]);
  });

  it('a command loads undici when it sends (sessions on the demo site)', async () => {
    const { code, stdout, files } = await loadedBy(['sessions', '--profile', 'demo']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/session/i);
    expect(files.some((f) => f.includes(join('node_modules', 'undici')))).toBe(true);
  });

  it('ends quietly when its reader stops early (usher demo | head -1)', async () => {
    const child = spawn(process.execPath, [USHER_BIN, 'demo'], { env: { ...process.env, USHER_DATA_DIR: TEST_DATA_DIR }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Like head: read the first chunk, then close the pipe while the demo is still writing.
    child.stdout.once('data', () => child.stdout.destroy());
    const [code] = (await once(child, 'close')) as [number | null];
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(code).toBe(0);
  });
});
