#!/usr/bin/env node
// Fails when an import goes against the layer arrows:
//   core ← jwa ← jwk ← {jws, jwe} ← jwt ← index ← protocol ← {middleware, server} ← cli
// A layer may import itself and anything below it; siblings (jws/jwe, middleware/server) never
// import each other; layers above index.ts import the library only through src/index.ts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const src = join(root, 'src');
const RANK = { core: 0, jwa: 1, jwk: 2, jws: 3, jwe: 3, jwt: 4, index: 5, protocol: 6, middleware: 7, server: 7, web: 7, cli: 8 };
const LIBRARY = new Set(['core', 'jwa', 'jwk', 'jws', 'jwe', 'jwt']);

function layerOf(file) {
  const rel = relative(src, file).split(/[\\/]/);
  if (rel.length === 1) return 'index';
  return rel[0];
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (/\.ts$/.test(name)) yield p;
  }
}

export function check(files = [...walk(src)]) {
  const problems = [];
  for (const file of files) {
    const from = layerOf(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const spec = m[1] ?? m[2];
      let to;
      if (spec === '#platform') to = 'jwa';
      else if (spec.startsWith('.')) to = layerOf(resolve(dirname(file), spec));
      else continue;
      if (from === to) continue;
      const bad =
        RANK[to] === undefined ||
        RANK[from] === undefined ||
        RANK[to] > RANK[from] ||
        (RANK[to] === RANK[from] && from !== to) ||
        (!LIBRARY.has(from) && from !== 'index' && LIBRARY.has(to));
      if (bad) problems.push(`${relative(root, file)}: ${from} must not import ${to} ("${spec}")`);
    }
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = check();
  for (const p of problems) console.error(p);
  if (problems.length) {
    console.error(`layer check: ${problems.length} import(s) against the arrows`);
    process.exit(1);
  }
  console.log('layer check: imports follow core ← jwa ← jwk ← {jws, jwe} ← jwt ← index ← protocol ← {middleware, server} ← cli');
}
