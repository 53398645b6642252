#!/usr/bin/env node
// `npm run bench`: tessera against jose, fast-jwt, jsonwebtoken and raw node:crypto.
// Measures the built library (dist/esm, resolved with the `node` condition, as users get it):
// rebuilds dist when it is missing or older than src/, then runs bench/run.mjs in a fresh process.
// Options: --quick (smoke run), --filter HS256[,ES256 verify] (case name substrings),
//          --json out.json, --docs / --no-docs (docs/benchmarks.md is rewritten by full runs only),
//          --rounds N, --slice MS.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);

function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

const distEntry = join(root, 'dist/esm/index.js');
const inputs = ['src', 'package.json', 'tsconfig.json', 'scripts/build.mjs'].map((p) => join(root, p));
const stale = !existsSync(distEntry) || Math.max(...inputs.map(newestMtime)) > newestMtime(join(root, 'dist'));
if (stale) {
  console.log('dist is missing or older than src: building');
  const r = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) console.warn('WARNING: the build failed');
}

// The built package must load and pick node:crypto; if it does not, measure src through tsx
// rather than nothing, and say so loudly (the report records which one was measured).
const probe = spawnSync(process.execPath, ['--input-type=module', '-e', "const t = await import('tessera'); console.log(t.backend)"], {
  cwd: root,
  encoding: 'utf8',
});
let from = 'dist';
if (probe.status !== 0 || probe.stdout.trim() !== 'node') {
  console.warn(`WARNING: dist did not load with the node backend (${(probe.stderr || probe.stdout).trim().split('\n')[0]});`);
  console.warn('WARNING: measuring src/ through tsx instead');
  from = 'source';
}

const nodeArgs = ['--expose-gc', ...(from === 'source' ? ['--import', 'tsx', '-C', 'tessera-source'] : [])];
const r = spawnSync(process.execPath, [...nodeArgs, join(root, 'bench/run.mjs'), ...args], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TESSERA_BENCH_FROM: from },
});
process.exit(r.status ?? 1);
