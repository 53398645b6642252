// encrypt, decrypt, seal, open, inspect, serve and the top-level dispatch, through the built CLI.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { colourOn } from '../../src/cli/io.ts';
import { humanTime } from '../../src/cli/commands/inspect.ts';
import { COMMANDS } from '../../src/cli/main.ts';
import { assertFails, tempDir, tessera } from './helpers.ts';

const { dir, cleanup } = tempDir();
after(cleanup);
const f = (name: string) => join(dir, name);
const t = (args: string[], opts: { input?: string } = {}) => tessera(args, { cwd: dir, ...opts });
const ok = (args: string[], input?: string) => {
  const r = t(args, input !== undefined ? { input } : {});
  assert.equal(r.status, 0, `tessera ${args.join(' ')} failed: ${r.stderr}`);
  assert.equal(r.stderr, '');
  return r.stdout;
};

before(() => {
  ok(['keygen', 'ES256', '--out', 'k.jwk', '--public-out', 'k.pub.jwk']);
  ok(['keygen', 'ECDH-ES+A256KW', '--out', 'e.jwk', '--public-out', 'e.pub.jwk']);
  ok(['keygen', 'ECDH-ES+A256KW', '--out', 'e2.jwk', '--public-out', 'e2.pub.jwk']);
  ok(['keygen', 'A256KW', '--out', 'a.jwk']);
});

describe('encrypt and decrypt', () => {
  test('stdin to stdout, and files, round trip; the plaintext is printed as it is', () => {
    const jwe = ok(['encrypt', '--key', 'e.pub.jwk', '--enc', 'A256GCM'], 'secret\n');
    assert.equal(jwe.trim().split('.').length, 5);
    assert.equal(ok(['decrypt', '--key', 'e.jwk'], jwe), 'secret\n');
    writeFileSync(f('plain.txt'), 'from a file');
    writeFileSync(f('t.jwe'), ok(['encrypt', '--key', 'a.jwk', '--alg', 'A256KW', '--enc', 'A128CBC-HS256', '--zip', '--cty', 'text/plain', 'plain.txt']));
    assert.equal(ok(['decrypt', '--key', 'a.jwk', 't.jwe']), 'from a file\n');
    const h = JSON.parse(ok(['inspect', '--json', 't.jwe']));
    assert.deepEqual([h.protectedHeader.zip, h.protectedHeader.cty, h.protectedHeader.enc], ['DEF', 'text/plain', 'A128CBC-HS256']);
  });

  test('flattened and general JSON are told apart by decrypt', () => {
    for (const form of ['flattened', 'general']) {
      const out = ok(['encrypt', '--key', 'a.jwk', '--enc', 'A256GCM', '--json', form], 'json form');
      const json = JSON.parse(out);
      assert.ok(form === 'general' ? Array.isArray(json.recipients) : typeof json.encrypted_key === 'string');
      assert.equal(ok(['decrypt', '--key', 'a.jwk'], out), 'json form\n');
    }
  });

  test('the wrong key, a disallowed alg or enc, and a tampered token are exit 1', () => {
    const jwe = ok(['encrypt', '--key', 'e.pub.jwk', '--enc', 'A256GCM'], 'x').trim();
    assertFails(t(['decrypt', '--key', 'e2.jwk'], { input: jwe }), 1, 'ERR_JWE_DECRYPTION_FAILED');
    assertFails(t(['decrypt', '--key', 'e.jwk', '--enc', 'A128GCM'], { input: jwe }), 1, 'ERR_ALG_NOT_ALLOWED');
    const a = ok(['encrypt', '--key', 'a.jwk', '--enc', 'A256GCM'], 'x').trim();
    assertFails(t(['decrypt', '--key', 'a.jwk', '--alg', 'A256GCMKW'], { input: a }), 1, 'ERR_ALG_NOT_ALLOWED');
    const parts = a.split('.');
    parts[3] = `${parts[3]?.startsWith('A') ? 'B' : 'A'}${parts[3]?.slice(1)}`;
    assertFails(t(['decrypt', '--key', 'a.jwk'], { input: parts.join('.') }), 1, 'ERR_JWE_DECRYPTION_FAILED');
  });

  test('a JWS given to decrypt and a JWE given to verify are exit 1; garbage is exit 2', () => {
    const jws = ok(['sign', '--key', 'k.jwk'], 'x');
    const jwe = ok(['encrypt', '--key', 'a.jwk', '--enc', 'A256GCM'], 'x');
    assertFails(t(['decrypt', '--key', 'a.jwk'], { input: jws }), 1, 'ERR_JWE_EXPECTED');
    assertFails(t(['verify', '--key', 'k.pub.jwk'], { input: jwe }), 1, 'ERR_JWS_EXPECTED');
    assertFails(t(['decrypt', '--key', 'a.jwk'], { input: 'definitely not a token' }), 2, 'ERR_INPUT_INVALID');
  });

  test('usage and key errors are exit 2', () => {
    assertFails(t(['encrypt', '--key', 'a.jwk'], { input: 'x' }), 2, 'ERR_USAGE');
    assertFails(t(['encrypt', '--key', 'a.jwk', '--enc', 'A999GCM'], { input: 'x' }), 2, 'ERR_ALG_UNSUPPORTED');
    assertFails(t(['encrypt', '--key', 'k.pub.jwk', '--enc', 'A256GCM'], { input: 'x' }), 2);
    assertFails(t(['decrypt', '--key', 'e.pub.jwk'], { input: ok(['encrypt', '--key', 'e.pub.jwk', '--enc', 'A256GCM'], 'x') }), 2, 'ERR_KEY_PRIVATE_REQUIRED');
    assertFails(t(['decrypt', '--key', 'missing.jwk'], { input: 'a.b.c.d.e' }), 2, 'ERR_FILE_UNREADABLE');
    assertFails(t(['decrypt', '--zip'], { input: 'x' }), 2, 'ERR_USAGE');
  });
});

describe('seal and open', () => {
  test('a nested JWT round trips with claim checks', () => {
    const sealed = ok(['seal', '--sign-key', 'k.jwk', '--encrypt-key', 'e.pub.jwk', '--iss', 'me', '--aud', 'you', '--exp', '5m'], '{"sub":"ada"}');
    const claims = JSON.parse(ok(['open', '--decrypt-key', 'e.jwk', '--verify-key', 'k.pub.jwk', '--iss', 'me', '--aud', 'you'], sealed));
    assert.deepEqual([claims.sub, claims.iss, claims.aud], ['ada', 'me', 'you']);
    const header = JSON.parse(ok(['inspect', '--json'], sealed));
    assert.equal(header.protectedHeader.cty, 'JWT');
    assertFails(t(['open', '--decrypt-key', 'e.jwk', '--verify-key', 'k.pub.jwk', '--iss', 'other'], { input: sealed }), 1, 'ERR_JWT_CLAIM_INVALID');
    assertFails(t(['open', '--decrypt-key', 'e2.jwk', '--verify-key', 'k.pub.jwk'], { input: sealed }), 1, 'ERR_JWE_DECRYPTION_FAILED');
    ok(['keygen', 'ES256', '--out', 'k2.jwk', '--public-out', 'k2.pub.jwk']);
    assertFails(t(['open', '--decrypt-key', 'e.jwk', '--verify-key', 'k2.pub.jwk'], { input: sealed }), 1, 'ERR_JWS_SIGNATURE_INVALID');
    const expired = ok(['seal', '--sign-key', 'k.jwk', '--encrypt-key', 'e.pub.jwk'], '{"exp":1000}');
    assertFails(t(['open', '--decrypt-key', 'e.jwk', '--verify-key', 'k.pub.jwk'], { input: expired }), 1, 'ERR_JWT_EXPIRED');
  });

  test('a plain JWE is not a nested JWT; bad input and missing keys are exit 2', () => {
    const plain = ok(['encrypt', '--key', 'e.pub.jwk', '--enc', 'A256GCM'], '{"sub":"ada"}');
    assertFails(t(['open', '--decrypt-key', 'e.jwk', '--verify-key', 'k.pub.jwk'], { input: plain }), 1);
    assertFails(t(['seal', '--sign-key', 'k.jwk', '--encrypt-key', 'e.pub.jwk'], { input: 'not json' }), 2, 'ERR_INPUT_INVALID');
    assertFails(t(['seal', '--sign-key', 'k.jwk'], { input: '{}' }), 2, 'ERR_USAGE');
    assertFails(t(['open', '--decrypt-key', 'e.jwk'], { input: plain }), 2, 'ERR_USAGE');
  });
});

describe('inspect', () => {
  test('a JWS: header, claims with human times, and the not-verified warning', () => {
    const token = ok(['sign', '--key', 'k.jwk', '--exp', '14m', '--iss', 'me'], '{"old":1}');
    const out = ok(['inspect'], token);
    assert.match(out, /^JWS \(compact serialization\)/);
    assert.match(out, /alg: "ES256"/);
    assert.match(out, /exp: \d{4}-\d\d-\d\d \d\d:\d\d UTC \(in 1[34] min\)/);
    assert.match(out, /iss: "me"/);
    assert.match(out, /NOT verified/);
    assert.doesNotMatch(out, /\x1b\[/);
    const expired = ok(['sign', '--key', 'k.jwk'], `{"exp":${Math.floor(Date.now() / 1000) - 3 * 3600}}`);
    assert.match(ok(['inspect'], expired), /\(expired 3 h ago\)/);
  });

  test('a JWE: protected header, recipients, and that the content is encrypted', () => {
    const jwe = ok(['encrypt', '--key', 'e.pub.jwk', '--enc', 'A256GCM'], 'x');
    const out = ok(['inspect'], jwe);
    assert.match(out, /^JWE/);
    assert.match(out, /enc: "A256GCM"/);
    assert.match(out, /recipient 1/);
    assert.match(out, /content is encrypted/);
    const general = ok(['encrypt', '--key', 'a.jwk', '--enc', 'A256GCM', '--json', 'general'], 'x');
    const json = JSON.parse(ok(['inspect', '--json'], general));
    assert.deepEqual([json.kind, json.serialization, json.encrypted, json.verified, json.recipients.length], ['jwe', 'general', true, false, 1]);
  });

  test('--json for a JWS, and errors for garbage (2) and a broken token (1)', () => {
    const json = JSON.parse(ok(['inspect', '--json'], ok(['sign', '--key', 'k.jwk', '--sub', 'ada'], '{}')));
    assert.deepEqual([json.kind, json.claims.sub, json.verified], ['jws', 'ada', false]);
    assertFails(t(['inspect'], { input: 'garbage' }), 2, 'ERR_INPUT_INVALID');
    assertFails(t(['inspect'], { input: 'e30.e30=.x' }), 1);
  });

  test('humanTime: future, expired, nbf, iat, and values that are not NumericDates', () => {
    const now = Date.UTC(2026, 10, 28, 13, 48) / 1000;
    assert.equal(humanTime('exp', now + 14 * 60, now), '2026-11-28 14:02 UTC (in 14 min)');
    assert.equal(humanTime('exp', now - 3 * 3600, now), '2026-11-28 10:48 UTC (expired 3 h ago)');
    assert.match(humanTime('nbf', now + 30, now), /not valid for another 30 s/);
    assert.match(humanTime('iat', now - 5 * 86400, now), /\(5 d ago\)/);
    assert.match(humanTime('iat', now + 60, now), /in the future/);
    assert.match(humanTime('exp', '1000', now), /not a NumericDate/);
  });
});

describe('the command line as a whole', () => {
  test('--help for every command, with an example; tessera --help documents the exit codes', () => {
    for (const c of COMMANDS) {
      const out = ok([c.name, '--help']);
      assert.match(out, new RegExp(`^Usage: tessera ${c.name}`));
      if (c.name !== 'serve') assert.match(out, /Example:\n {2}/);
    }
    const top = ok(['--help']);
    for (const c of COMMANDS) assert.match(top, new RegExp(`\\b${c.name}\\b`));
    assert.match(top, /0 success; 1 the token is invalid/);
    assert.equal(ok(['help', 'verify']), ok(['verify', '--help']));
    assert.equal(t([]).status, 2);
  });

  test('unknown commands and serve are exit 2 with one line', () => {
    assertFails(t(['frobnicate']), 2, 'ERR_USAGE');
    assertFails(t(['serve']), 2, 'ERR_NOT_AVAILABLE');
  });

  test('colour only on a TTY, and never with NO_COLOR', () => {
    assert.equal(colourOn({ isTTY: true }, {}), true);
    assert.equal(colourOn({ isTTY: true }, { NO_COLOR: '1' }), false);
    assert.equal(colourOn({ isTTY: false }, {}), false);
    assert.equal(colourOn({}, {}), false);
  });
});
