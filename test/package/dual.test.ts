// The built package as users get it: ESM and CJS entry points, every subpath, both backends,
// and zero runtime dependencies. Runs after `npm run build` (the test runner builds first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const subpaths = Object.keys(pkg.exports).filter((p) => p !== './package.json');

function node(args: string[], code: string): string {
  return execFileSync(process.execPath, [...args, '-e', code], { cwd: root, encoding: 'utf8' }).trim();
}

test('the core has zero runtime dependencies', () => {
  assert.equal(pkg.dependencies, undefined);
  assert.equal(pkg.peerDependencies, undefined);
});

for (const sub of subpaths) {
  const spec = sub === '.' ? 'tessera' : `tessera/${sub.slice(2)}`;
  test(`${spec} loads with require() and import, with the same exports`, () => {
    const cjs = node(['--input-type=commonjs'], `console.log(Object.keys(require(${JSON.stringify(spec)})).sort().join(','))`);
    const esm = node(['--input-type=module'], `console.log(Object.keys(await import(${JSON.stringify(spec)})).filter(k => k !== 'default').sort().join(','))`);
    assert.ok(cjs.length > 0);
    assert.equal(cjs, esm);
  });
}

const roundTrip = `
  const key = await t.generateKey('ES256');
  const token = await t.signJWS('hi', key);
  const r = await t.verifyJWS(token, t.exportJWK(key, { public: true }));
  const bad = await t.verifyJWS(token.slice(0, -2) + 'AA', key).then(() => 'accepted', (e) => e instanceof t.TesseraError ? e.code : 'other');
  console.log(t.backend, new TextDecoder().decode(r.payload), bad);`;

test('ESM on Node picks the node:crypto backend', () => {
  assert.equal(node(['--input-type=module'], `const t = await import('tessera'); ${roundTrip}`), 'node hi ERR_JWS_SIGNATURE_INVALID');
});

test('CJS on Node picks the node:crypto backend', () => {
  assert.equal(
    node(['--input-type=commonjs'], `(async () => { const t = require('tessera'); ${roundTrip} })()`),
    'node hi ERR_JWS_SIGNATURE_INVALID',
  );
});

test('the tessera-web condition picks the WebCrypto backend, in ESM and CJS', () => {
  assert.equal(node(['-C', 'tessera-web', '--input-type=module'], `const t = await import('tessera'); ${roundTrip}`), 'web hi ERR_JWS_SIGNATURE_INVALID');
  assert.equal(
    node(['-C', 'tessera-web', '--input-type=commonjs'], `(async () => { const t = require('tessera'); ${roundTrip} })()`),
    'web hi ERR_JWS_SIGNATURE_INVALID',
  );
});

test('the WebCrypto build imports nothing from node:', () => {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/from\s+['"]([^'"]+)['"]/g)) {
      const spec = m[1] as string;
      assert.ok(!spec.startsWith('node:'), `${file} imports ${spec}`);
      if (spec === '#platform') visit(join(root, 'dist/esm/jwa/platform/web.js'));
      else if (spec.startsWith('.')) visit(join(file, '..', spec));
    }
  };
  visit(join(root, 'dist/esm/index.js'));
  assert.ok(seen.size > 10);
});

test('types are bundled for every subpath, for import and require', () => {
  for (const sub of subpaths) {
    for (const cond of ['import', 'require'] as const) {
      const types = pkg.exports[sub][cond].types as string;
      assert.ok(statSync(join(root, types)).isFile(), types);
    }
  }
  assert.ok(readdirSync(join(root, 'dist/cjs')).includes('package.json'));
});
