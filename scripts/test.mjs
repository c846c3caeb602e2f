// `npm test`: the type check and the Vitest projects side by side, not one after the other. The type
// check (about 6 s) used to run first while the cores waited; Vitest's own start (config, the build check,
// the kept site certificates, the first imports) leaves a core idle for about as long, so the check fits in
// there. Vitest prints as it goes; the type check's output is held and printed after it, under a heading.
// Fails when either fails. Arguments go to Vitest (`npm test -- -t "a name"`).
import { spawn } from 'node:child_process';

const PROJECTS = ['unit', 'unit-mocks', 'fuzz', 'renderer', 'integration', 'e2e'];

/** Runs a command and resolves with its exit code and, when `hold`, what it wrote (else it prints as it goes). */
function run(command, args, { hold }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: hold ? ['ignore', 'pipe', 'pipe'] : 'inherit', shell: process.platform === 'win32' });
    let output = '';
    if (hold) {
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
    }
    child.on('error', (err) => resolve({ code: 1, output: `${output}${err.message}\n` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output })); // null: ended by a signal
  });
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const projects = PROJECTS.flatMap((name) => ['--project', name]);
const [typecheck, vitest] = await Promise.all([
  run(npm, ['run', '--silent', 'typecheck'], { hold: true }),
  run(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...projects, ...process.argv.slice(2)], { hold: false }),
]);
process.stdout.write(`\ntypecheck: ${typecheck.code === 0 ? 'no errors' : `failed (exit ${typecheck.code})`}\n${typecheck.output}`);
process.exitCode = typecheck.code !== 0 ? typecheck.code : vitest.code;
