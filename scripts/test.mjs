#!/usr/bin/env node
// The one test command (`npm test`): typecheck, layer check, build, then every suite.
// The algorithm suites (test/unit, test/vectors, test/property) run twice: on the node:crypto
// backend and, with the `tessera-web` export condition, on the WebCrypto backend.
// Usage: node scripts/test.mjs [--only unit|vectors|property|interop|package] [--backend node|web]
import { spawnSync } from 'node:child_process';
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
if (!quick && (!only || only === 'package')) {
  if (run(process.execPath, ['scripts/build.mjs']) !== 0) failedSteps++;
}

const suites = [
  { name: 'unit', dirs: ['test/unit', 'test/vectors'], backends: ['node', 'web'] },
  { name: 'property', dirs: ['test/property'], backends: ['node', 'web'] },
  { name: 'interop', dirs: ['test/interop'], backends: ['node'] },
  { name: 'package', dirs: ['test/package'], backends: ['node'] },
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
    const status = run(
      process.execPath,
      [
        '--import', 'tsx', ...conditions, '--test', '--test-concurrency=2',
        '--test-reporter=spec', '--test-reporter-destination=stdout',
        '--test-reporter=tap', `--test-reporter-destination=${tap}`,
        ...list,
      ],
      { TESSERA_BACKEND: backend },
    );
    const text = readFileSync(tap, 'utf8');
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
