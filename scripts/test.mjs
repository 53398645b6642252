#!/usr/bin/env node
// The one test command (`npm test`): typecheck, layer check, build, then every suite.
// The algorithm suites (test/unit, test/vectors, test/property) run twice: on the node:crypto
// backend and, with the `tessera-web` export condition, on the WebCrypto backend.
// Usage: node scripts/test.mjs [--only unit|vectors|property|interop|package|cli] [--backend node|web]
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const onlyBackend = args.includes('--backend') ? args[args.indexOf('--backend') + 1] : undefined;
const quick = args.includes('--no-build');

function run(cmd, argv, env = {}) {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

/**
 * Runs a test suite in its own process group with a time limit. Seen twice on this kind of
 * machine under heavy load (never on a quiet one): a test file's process stalls at start-up with
 * no CPU use and no output. A stalled suite is killed whole (every process of the group, so no
 * orphan keeps CI's output open) and run once more, and the log says so.
 * @returns the exit status, or 'timeout'
 */
function runSuite(argv, env, limitMs) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv, { cwd: root, stdio: 'inherit', detached: true, env: { ...process.env, ...env } });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      resolve('timeout');
    }, limitMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}

function files(dir) {
  const abs = join(root, dir);
  const out = [];
  const walk = (d) => {
    let names;
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.test.ts') || n.endsWith('.test.mjs') || n.endsWith('.test.cjs')) out.push(relative(root, p));
    }
  };
  walk(abs);
  return out.sort();
}

let failedSteps = 0;
let pass = 0;
let fail = 0;
let skipped = 0;

if (!quick && !only) {
  if (run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.test.json']) !== 0) failedSteps++;
  if (run(process.execPath, ['scripts/check-layers.mjs']) !== 0) failedSteps++;
}
if (!quick && (!only || only === 'package' || only === 'cli')) {
  if (run(process.execPath, ['scripts/build.mjs']) !== 0) failedSteps++;
}

const suites = [
  { name: 'unit', dirs: ['test/unit', 'test/vectors'], backends: ['node', 'web'] },
  { name: 'property', dirs: ['test/property'], backends: ['node', 'web'] },
  { name: 'interop', dirs: ['test/interop'], backends: ['node'] },
  { name: 'package', dirs: ['test/package'], backends: ['node'] },
  { name: 'cli', dirs: ['test/cli'], backends: ['node'] },
];

const tmp = mkdtempSync(join(tmpdir(), 'tessera-test-'));
for (const suite of suites) {
  if (only && only !== suite.name && !(only === 'vectors' && suite.name === 'unit')) continue;
  const list = suite.dirs.flatMap(files);
  if (list.length === 0) continue;
  for (const backend of suite.backends) {
    if (onlyBackend && backend !== onlyBackend) continue;
    console.log(`\n=== ${suite.name} tests on the ${backend} backend (${list.length} files) ===`);
    const tap = join(tmp, `${suite.name}-${backend}.tap`);
    const conditions = ['-C', 'tessera-source', ...(backend === 'web' ? ['-C', 'tessera-web'] : [])];
    const argv = [
      '--import', 'tsx', ...conditions, '--test', '--test-concurrency=2',
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tap}`,
      ...list,
    ];
    const limitMs = Number(process.env.TESSERA_SUITE_TIMEOUT_MS ?? 20 * 60_000);
    let status = await runSuite(argv, { TESSERA_BACKEND: backend }, limitMs);
    if (status === 'timeout') {
      console.log(`\n!!! ${suite.name} tests on the ${backend} backend stalled for ${limitMs / 1000} s: killed; running them once more`);
      status = await runSuite(argv, { TESSERA_BACKEND: backend }, limitMs);
      if (status === 'timeout') console.log(`!!! ${suite.name} tests on the ${backend} backend stalled again`);
    }
    let text = '';
    try {
      text = readFileSync(tap, 'utf8');
    } catch {}
    const num = (k) => Number((text.match(new RegExp(`^# ${k} (\\d+)$`, 'm')) ?? [0, 0])[1]);
    pass += num('pass');
    fail += num('fail');
    skipped += num('skipped');
    if (status !== 0) failedSteps++;
  }
}
rmSync(tmp, { recursive: true, force: true });

console.log(`\ntessera: ${pass} passed, ${fail} failed, ${skipped} skipped`);
if (failedSteps > 0 || fail > 0) {
  console.log(`${failedSteps} step(s) failed`);
  process.exit(1);
}
