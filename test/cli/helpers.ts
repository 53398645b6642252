/**
 * Drives the built command line (bin/tessera.mjs → dist/esm/cli/main.js) as a child process, the
 * way users run it. `node scripts/test.mjs --only cli` builds dist first.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const BIN = join(ROOT, 'bin/tessera.mjs');

assert.ok(existsSync(join(ROOT, 'dist/esm/cli/main.js')), 'dist is not built: run node scripts/build.mjs (or scripts/test.mjs --only cli)');

export interface Result {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `tessera ...args` with optional stdin, in cwd. */
export function tessera(args: readonly string[], opts: { input?: string | Uint8Array; cwd?: string; env?: Record<string, string> } = {}): Result {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd,
    input: opts.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    timeout: 30_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Asserts a failure: the exit status, one line `tessera: CODE: message` on stderr, no stack trace, nothing on stdout. */
export function assertFails(r: Result, status: 1 | 2, code?: string): void {
  assert.equal(r.status, status, `expected exit ${status}, got ${r.status}: ${r.stderr}`);
  assert.match(r.stderr, /^tessera: ERR_[A-Z0-9_]+: [^\n]+\n$/, `not one error line: ${JSON.stringify(r.stderr)}`);
  assert.doesNotMatch(r.stderr, /\bat .*:\d+:\d+/);
  if (code !== undefined) assert.ok(r.stderr.startsWith(`tessera: ${code}: `), `expected ${code}, got ${r.stderr}`);
  assert.equal(r.stdout, '');
}

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The same as tessera(), without blocking the event loop (for tests that serve HTTP in-process). */
export function tesseraAsync(args: readonly string[], opts: { input?: string; cwd?: string } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** A directory holding a `tessera` shim that runs bin/tessera.mjs, to put first on PATH. */
export function shimDir(parent: string): string {
  const dir = join(parent, '.bin');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'tessera'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, { mode: 0o755 });
  return dir;
}

/** Runs a bash script in cwd with the shim first on PATH. */
export function bash(script: string, cwd: string): Result {
  const r = spawnSync('bash', ['-c', script], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', PATH: `${shimDir(cwd)}:${process.env['PATH'] ?? ''}` },
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
