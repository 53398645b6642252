#!/usr/bin/env node
// Builds dist/esm (tsc: JS + .d.ts) and dist/cjs (esbuild transpiles each ESM file to CommonJS,
// file for file, so `require('tessera')` works on Node 20.0+ without require(esm)).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { transformSync } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], {
  stdio: 'inherit',
});

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else yield p;
  }
}

const esm = join(dist, 'esm');
const cjs = join(dist, 'cjs');
for (const file of walk(esm)) {
  const out = join(cjs, relative(esm, file));
  mkdirSync(join(out, '..'), { recursive: true });
  if (file.endsWith('.js')) {
    const { code } = transformSync(readFileSync(file, 'utf8'), { format: 'cjs', target: 'node20', sourcefile: file });
    writeFileSync(out, code);
  } else if (file.endsWith('.d.ts')) {
    cpSync(file, out);
  }
}
// Node resolves `#platform` from the nearest package.json, which is these two, not the root one:
// each needs its own `imports` map or `import('tessera')` fails to load.
const imports = {
  '#platform': { 'tessera-web': './jwa/platform/web.js', node: './jwa/platform/node.js', default: './jwa/platform/web.js' },
};
writeFileSync(join(esm, 'package.json'), `${JSON.stringify({ type: 'module', imports })}\n`);
writeFileSync(join(cjs, 'package.json'), `${JSON.stringify({ type: 'commonjs', imports })}\n`);
console.log('built dist/esm and dist/cjs');
