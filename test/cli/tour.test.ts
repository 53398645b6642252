// The tour in docs/cli.md (copied into the README) runs verbatim with bash, with `tessera` on
// PATH as a shim for bin/tessera.mjs, in an empty directory.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, bash, tempDir } from './helpers.ts';

const { dir, cleanup } = tempDir();
after(cleanup);

/** The first ```sh block after the tour marker. */
function tourBlock(markdown: string): string {
  const at = markdown.indexOf('<!-- tour:');
  assert.ok(at >= 0, 'docs/cli.md has no tour marker');
  const m = /```sh\n([\s\S]*?)```/.exec(markdown.slice(at));
  assert.ok(m, 'no sh block after the tour marker');
  return m[1] as string;
}

test('the docs/cli.md tour runs verbatim and every step succeeds', () => {
  const block = tourBlock(readFileSync(join(ROOT, 'docs/cli.md'), 'utf8'));
  for (const cmd of ['keygen', 'sign', 'inspect', 'verify', 'encrypt', 'decrypt', 'seal', 'open']) {
    assert.match(block, new RegExp(`tessera ${cmd}\\b`), `the tour shows ${cmd}`);
  }
  const r = bash(`set -euo pipefail\n${block}`, dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /NOT verified/);
  assert.match(r.stdout, /"scope":"read"/);
  assert.match(r.stdout, /the launch code is 0000\n/);
  assert.match(r.stdout, /\{"sub":"ada","iss":"https:\/\/issuer\.example"/);
});

test('the README shows the same tour, byte for byte', () => {
  const block = tourBlock(readFileSync(join(ROOT, 'docs/cli.md'), 'utf8'));
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.ok(readme.includes('```sh\n' + block + '```'), 'README.md must carry the docs/cli.md tour verbatim');
});

test('the pipe in the docs: sign | verify, and a failing verify fails the pipeline with 1', () => {
  const ok = bash(
    `set -euo pipefail\ntessera keygen ES256 --out k.jwk --public-out k.pub.jwk\necho '{"sub":"ada"}' | tessera sign --key k.jwk --exp 5m | tessera verify --key k.pub.jwk`,
    dir,
  );
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^\{"sub":"ada","exp":\d+,"iat":\d+\}\n$/);
  const bad = bash(`set -o pipefail\necho '{"exp":1}' | tessera sign --key k.jwk | tessera verify --key k.pub.jwk`, dir);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^tessera: ERR_JWT_EXPIRED: [^\n]+\n$/);
});
