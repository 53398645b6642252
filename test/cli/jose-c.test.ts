// Interop through the command line with the Debian `jose` C tool (/usr/bin/jose, installed by
// .ci/run): tessera's keys and tokens accepted by `jose jws ver` / `jose jwe dec`, and the C
// tool's tokens accepted by `tessera verify` / `decrypt`. ES256, HS256 and A256KW+A256GCM are
// algorithms both have. A missing peer fails the test (never a skip).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, tessera } from './helpers.ts';

const JOSE = '/usr/bin/jose';
const { dir, cleanup } = tempDir();
after(cleanup);
const f = (name: string) => join(dir, name);

function jose(args: readonly string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(JOSE, args, { cwd: dir, encoding: 'utf8', input: input ?? '' });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(args: string[], input?: string): string {
  const r = tessera(args, { cwd: dir, ...(input !== undefined ? { input } : {}) });
  assert.equal(r.status, 0, `tessera ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

test('the jose C tool is installed', () => {
  assert.ok(existsSync(JOSE), `interop peer missing: ${JOSE}; install the Debian package "jose" (see .ci/run)`);
});

for (const alg of ['ES256', 'HS256']) {
  test(`${alg}: tessera keygen + sign → jose jws ver; jose jws sig → tessera verify`, () => {
    ok(['keygen', alg, '--out', `${alg}.jwk`, ...(alg === 'HS256' ? [] : ['--public-out', `${alg}.pub.jwk`])]);
    const pub = alg === 'HS256' ? `${alg}.jwk` : `${alg}.pub.jwk`;
    // The C tool reads the token file literally: tessera's trailing newline is not part of it.
    writeFileSync(f(`${alg}.jws`), ok(['sign', '--key', `${alg}.jwk`], `payload for ${alg}`).trim());
    const ver = jose(['jws', 'ver', '-i', `${alg}.jws`, '-k', pub, '-O', '-']);
    assert.equal(ver.status, 0, ver.stderr);
    assert.equal(ver.stdout, `payload for ${alg}`);
    // A token the C tool made, with tessera's private key, in compact and in flattened JSON.
    for (const compact of [true, false]) {
      const sig = jose(['jws', 'sig', '-I', '-', '-k', `${alg}.jwk`, ...(compact ? ['-c'] : []), '-o', '-'], `from jose ${alg}`);
      assert.equal(sig.status, 0, sig.stderr);
      assert.equal(ok(['verify', '--key', pub, '--alg', alg], sig.stdout), `from jose ${alg}\n`);
    }
    // And a tampered one is refused with exit 1.
    const sig = jose(['jws', 'sig', '-I', '-', '-k', `${alg}.jwk`, '-c', '-o', '-'], 'x').stdout.trim();
    const [h, p, s] = sig.split('.') as [string, string, string];
    const r = tessera(['verify', '--key', pub], { cwd: dir, input: `${h}.${p === 'eA' ? 'eQ' : 'eA'}.${s}` });
    assert.equal(r.status, 1, r.stderr);
  });
}

test('A256KW + A256GCM: tessera encrypt → jose jwe dec; jose jwe enc → tessera decrypt', () => {
  ok(['keygen', 'A256KW', '--out', 'kw.jwk']);
  writeFileSync(f('t.jwe'), ok(['encrypt', '--key', 'kw.jwk', '--alg', 'A256KW', '--enc', 'A256GCM'], 'for jose').trim());
  const dec = jose(['jwe', 'dec', '-i', 't.jwe', '-k', 'kw.jwk', '-O', '-']);
  assert.equal(dec.status, 0, dec.stderr);
  assert.equal(dec.stdout, 'for jose');
  for (const compact of [true, false]) {
    const enc = jose(['jwe', 'enc', '-i', '{"protected":{"enc":"A256GCM"}}', '-I', '-', '-k', 'kw.jwk', ...(compact ? ['-c'] : []), '-o', '-'], 'from jose');
    assert.equal(enc.status, 0, enc.stderr);
    assert.equal(ok(['decrypt', '--key', 'kw.jwk', '--alg', 'A256KW', '--enc', 'A256GCM'], enc.stdout), 'from jose\n');
  }
  // A key the C tool generated decrypts too; a different key gives exit 1.
  assert.equal(jose(['jwk', 'gen', '-i', '{"alg":"A256KW"}', '-o', 'other.jwk']).status, 0);
  const enc = jose(['jwe', 'enc', '-i', '{"protected":{"enc":"A256GCM"}}', '-I', '-', '-k', 'other.jwk', '-c', '-o', '-'], 'x');
  assert.equal(ok(['decrypt', '--key', 'other.jwk'], enc.stdout), 'x\n');
  const wrong = tessera(['decrypt', '--key', 'kw.jwk'], { cwd: dir, input: enc.stdout });
  assert.equal(wrong.status, 1, wrong.stderr);
  assert.match(wrong.stderr, /^tessera: ERR_JWE_DECRYPTION_FAILED: /);
  assert.ok(readFileSync(f('kw.jwk'), 'utf8').includes('"A256KW"'));
});
