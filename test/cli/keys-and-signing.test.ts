// keygen, sign, verify, thumbprint, jwks through the built command line.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { assertFails, tempDir, tessera, tesseraAsync } from './helpers.ts';

const { dir, cleanup } = tempDir();
after(cleanup);
const f = (name: string) => join(dir, name);
const t = (args: string[], opts: { input?: string } = {}) => tessera(args, { cwd: dir, ...opts });
const ok = (args: string[], input?: string) => {
  const r = tessera(args, { cwd: dir, ...(input !== undefined ? { input } : {}) });
  assert.equal(r.status, 0, `tessera ${args.join(' ')} failed: ${r.stderr}`);
  assert.equal(r.stderr, '');
  return r.stdout;
};

before(() => {
  ok(['keygen', 'ES256', '--out', 'k.jwk', '--public-out', 'k.pub.jwk']);
  ok(['keygen', 'ES256', '--out', 'other.jwk', '--public-out', 'other.pub.jwk']);
  ok(['keygen', 'HS256', '--out', 'h.jwk']);
  ok(['keygen', 'RS256', '--format', 'pem', '--out', 'r.pem', '--public-out', 'r.pub.pem']);
});

describe('keygen', () => {
  test('writes the private key with mode 0600 and the public part with 0644', () => {
    assert.equal(statSync(f('k.jwk')).mode & 0o777, 0o600);
    assert.equal(statSync(f('k.pub.jwk')).mode & 0o777, 0o644);
    const priv = JSON.parse(readFileSync(f('k.jwk'), 'utf8'));
    const pub = JSON.parse(readFileSync(f('k.pub.jwk'), 'utf8'));
    assert.equal(priv.alg, 'ES256');
    assert.equal(priv.use, 'sig');
    assert.equal(typeof priv.d, 'string');
    assert.equal(pub.d, undefined);
    assert.equal(pub.kid, priv.kid);
  });

  test('prints the private JWK on stdout without --out, with the given kid', () => {
    const jwk = JSON.parse(ok(['keygen', 'ECDH-ES+A256KW', '--crv', 'X25519', '--kid', 'enc-1']));
    assert.deepEqual([jwk.kty, jwk.crv, jwk.alg, jwk.use, jwk.kid], ['OKP', 'X25519', 'ECDH-ES+A256KW', 'enc', 'enc-1']);
    assert.equal(typeof jwk.d, 'string');
  });

  test('PEM output: PKCS#8 and SPKI', () => {
    assert.match(readFileSync(f('r.pem'), 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
    assert.match(readFileSync(f('r.pub.pem'), 'utf8'), /^-----BEGIN PUBLIC KEY-----/);
    assert.equal(statSync(f('r.pem')).mode & 0o777, 0o600);
  });

  test('refuses to overwrite an existing file without --force (exit 2), and writes neither file', () => {
    const before = readFileSync(f('k.jwk'), 'utf8');
    assertFails(t(['keygen', 'ES256', '--out', 'k.jwk']), 2, 'ERR_FILE_EXISTS');
    assertFails(t(['keygen', 'ES256', '--out', 'fresh.jwk', '--public-out', 'k.pub.jwk']), 2, 'ERR_FILE_EXISTS');
    assert.equal(readFileSync(f('k.jwk'), 'utf8'), before);
    assert.throws(() => statSync(f('fresh.jwk')), { code: 'ENOENT' });
  });

  test('--force overwrites, and leaves the private file at 0600 even if it was looser', () => {
    writeFileSync(f('loose.jwk'), 'old');
    chmodSync(f('loose.jwk'), 0o644);
    ok(['keygen', 'ES256', '--out', 'loose.jwk', '--force']);
    assert.equal(statSync(f('loose.jwk')).mode & 0o777, 0o600);
    assert.equal(JSON.parse(readFileSync(f('loose.jwk'), 'utf8')).alg, 'ES256');
  });

  test('a secret key has no public part and no PEM form; unknown algorithms and bad flags are usage errors', () => {
    assertFails(t(['keygen', 'HS256', '--public-out', 'x.jwk']), 2, 'ERR_USAGE');
    assertFails(t(['keygen', 'HS256', '--format', 'pem']), 2, 'ERR_USAGE');
    assertFails(t(['keygen', 'RSA1_5']), 2, 'ERR_ALG_UNSUPPORTED');
    assertFails(t(['keygen', 'none']), 2);
    assertFails(t(['keygen']), 2, 'ERR_USAGE');
    assertFails(t(['keygen', 'ES256', '--format', 'der']), 2, 'ERR_USAGE');
    assertFails(t(['keygen', 'RS256', '--bits', '1024']), 2);
  });
});

describe('sign and verify', () => {
  test('a payload from stdin, byte for byte, piped into verify', () => {
    const token = ok(['sign', '--key', 'k.jwk'], 'hello\n');
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const header = JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString());
    assert.equal(header.alg, 'ES256');
    assert.equal(header.kid, JSON.parse(readFileSync(f('k.jwk'), 'utf8')).kid);
    assert.equal(ok(['verify', '--key', 'k.pub.jwk'], token), 'hello\n');
  });

  test('input and token from files', () => {
    writeFileSync(f('payload.bin'), 'no newline');
    writeFileSync(f('t1.jws'), ok(['sign', '--key', 'h.jwk', 'payload.bin']));
    assert.equal(ok(['verify', '--key', 'h.jwk', 't1.jws']), 'no newline\n');
  });

  test('claim flags make a JWT that verify validates', () => {
    const token = ok(['sign', '--key', 'k.jwk', '--iss', 'https://i.example', '--sub', 'ada', '--aud', 'api', '--exp', '5m', '--jti', '--typ', 'at+jwt'], '{"scope":"read"}');
    const claims = JSON.parse(ok(['verify', '--key', 'k.pub.jwk', '--iss', 'https://i.example', '--aud', 'api', '--typ', 'at+jwt', '--max-age', '1m'], token));
    assert.equal(claims.sub, 'ada');
    assert.equal(claims.scope, 'read');
    assert.equal(typeof claims.jti, 'string');
    assert.ok(claims.exp - claims.iat === 300);
    assertFails(t(['verify', '--key', 'k.pub.jwk', '--aud', 'other'], { input: token }), 1, 'ERR_JWT_CLAIM_INVALID');
    assertFails(t(['verify', '--key', 'k.pub.jwk', '--iss', 'https://evil.example'], { input: token }), 1, 'ERR_JWT_CLAIM_INVALID');
    assertFails(t(['verify', '--key', 'k.pub.jwk', '--typ', 'JWT'], { input: token }), 1, 'ERR_JWT_TYPE_INVALID');
  });

  test('an expired or not-yet-valid JWT is exit 1, even without claim flags', () => {
    const expired = ok(['sign', '--key', 'k.jwk'], '{"sub":"ada","exp":1000}');
    assertFails(t(['verify', '--key', 'k.pub.jwk'], { input: expired }), 1, 'ERR_JWT_EXPIRED');
    const future = ok(['sign', '--key', 'k.jwk', '--nbf', '2h'], '{}');
    assertFails(t(['verify', '--key', 'k.pub.jwk'], { input: future }), 1, 'ERR_JWT_CLAIM_INVALID');
    assert.equal(t(['verify', '--key', 'k.pub.jwk', '--clock-tolerance', '3h'], { input: future }).status, 0);
  });

  test('a bad signature, the wrong key, a disallowed alg and alg none are exit 1', () => {
    const token = ok(['sign', '--key', 'k.jwk'], 'x').trim();
    const [h, p, s] = token.split('.') as [string, string, string];
    const flipped = `${h}.${p}.${s.startsWith('A') ? 'B' : 'A'}${s.slice(1)}`;
    assertFails(t(['verify', '--key', 'k.pub.jwk'], { input: flipped }), 1, 'ERR_JWS_SIGNATURE_INVALID');
    assertFails(t(['verify', '--key', 'other.pub.jwk'], { input: token }), 1, 'ERR_JWS_SIGNATURE_INVALID');
    assertFails(t(['verify', '--key', 'k.pub.jwk', '--alg', 'ES384'], { input: token }), 1, 'ERR_ALG_NOT_ALLOWED');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"a"}').toString('base64url')}.`;
    assertFails(t(['verify', '--key', 'k.pub.jwk'], { input: none }), 1, 'ERR_ALG_NONE');
    assertFails(t(['verify', '--key', 'k.pub.jwk'], { input: 'a+b.c.d' }), 1);
  });

  test('--json general and flattened are verified, and told apart by verify', () => {
    for (const form of ['general', 'flattened']) {
      const out = ok(['sign', '--key', 'k.jwk', '--json', form, '--exp', '5m'], '{"sub":"ada"}');
      const json = JSON.parse(out);
      assert.ok(form === 'general' ? Array.isArray(json.signatures) : typeof json.signature === 'string');
      assert.equal(JSON.parse(ok(['verify', '--key', 'k.pub.jwk'], out)).sub, 'ada');
    }
    const expired = ok(['sign', '--key', 'k.jwk', '--json', 'flattened'], '{"exp":1000}');
    assertFails(t(['verify', '--key', 'k.pub.jwk'], { input: expired }), 1, 'ERR_JWT_EXPIRED');
    const bad = t(['sign', '--key', 'k.jwk', '--json', 'xml'], { input: 'x' });
    assert.equal(bad.status, 2);
    assert.equal(JSON.parse(bad.stderr).error.code, 'ERR_USAGE'); // any --json makes the error JSON
  });

  test('--header, an absolute --nbf, "-" for stdin, and claims behind an unprotected header', () => {
    const token = ok(['sign', '--key', 'k.jwk', '--header', '{"cty":"demo"}', '--nbf', '2999-01-01T00:00:00Z'], '{}');
    const header = JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString());
    assert.equal(header.cty, 'demo');
    const claims = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString());
    assert.equal(claims.nbf, Date.UTC(2999, 0, 1) / 1000);
    assertFails(t(['verify', '--key', 'k.pub.jwk', '-'], { input: token }), 1, 'ERR_JWT_CLAIM_INVALID');
    assertFails(t(['sign', '--key', 'k.jwk', '--nbf', '2999-13-45'], { input: '{}' }), 2, 'ERR_USAGE');
    // A JSON JWS whose claims sit beside an unprotected header cannot be checked as a JWT: refused.
    const flat = JSON.parse(ok(['sign', '--key', 'k.jwk', '--json', 'flattened'], '{"sub":"ada"}'));
    const withHeader = JSON.stringify({ ...flat, header: { note: 'unprotected' } });
    assertFails(t(['verify', '--key', 'k.pub.jwk'], { input: withHeader }), 1, 'ERR_JWT_INVALID');
    // Without a JSON-object payload it is a plain JWS and verifies.
    const plain = JSON.parse(ok(['sign', '--key', 'k.jwk', '--json', 'flattened'], 'plain'));
    assert.equal(ok(['verify', '--key', 'k.pub.jwk'], JSON.stringify({ ...plain, header: { note: 'x' } })), 'plain\n');
  });

  test('PEM keys and JWK Sets (chosen by kid)', () => {
    const rs = ok(['sign', '--key', 'r.pem', '--alg', 'RS256'], 'pem');
    assert.equal(ok(['verify', '--key', 'r.pub.pem'], rs), 'pem\n');
    assertFails(t(['sign', '--key', 'r.pem'], { input: 'x' }), 2, 'ERR_ALG_REQUIRED');
    writeFileSync(f('set.json'), ok(['jwks', 'k.jwk', 'other.pub.jwk']));
    const token = ok(['sign', '--key', 'other.jwk'], 'by kid');
    assert.equal(ok(['verify', '--key', 'set.json'], token), 'by kid\n');
    writeFileSync(f('only-k.json'), ok(['jwks', 'k.pub.jwk']));
    assertFails(t(['verify', '--key', 'only-k.json'], { input: token }), 1, 'ERR_JWKS_NO_MATCHING_KEY');
  });

  test('a JWKS URL: http on loopback works; plain http elsewhere is refused', async () => {
    const body = readFileSync(f('set.json'));
    const server: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
      const token = ok(['sign', '--key', 'k.jwk'], 'remote');
      const r = await tesseraAsync(['verify', '--key', url], { cwd: dir, input: token });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, 'remote\n');
    } finally {
      server.close();
    }
    assertFails(t(['verify', '--key', 'http://example.com/jwks.json'], { input: 'a.b.c' }), 2, 'ERR_USAGE');
    assertFails(t(['verify', '--key', 'ftp://example.com/jwks.json'], { input: 'a.b.c' }), 2, 'ERR_USAGE');
  });

  test('input and usage errors are exit 2 with one line', () => {
    assertFails(tessera(['sign', '--key', 'k.jwk', '--exp', '5x'], { cwd: dir, input: '{}' }), 2, 'ERR_INVALID_ARGUMENT');
    assertFails(t(['sign', '--key', 'k.jwk', '--iss', 'a'], { input: 'not json' }), 2, 'ERR_INPUT_INVALID');
    assertFails(t(['sign', '--key', 'k.jwk', '--iss', 'a'], { input: '[1]' }), 2, 'ERR_INPUT_INVALID');
    assertFails(t(['sign', '--key', 'k.jwk', '--header', '{bad'], { input: 'x' }), 2, 'ERR_USAGE');
    assertFails(t(['sign', '--key', 'k.pub.jwk'], { input: 'x' }), 2, 'ERR_KEY_PRIVATE_REQUIRED');
    assertFails(t(['sign'], { input: 'x' }), 2, 'ERR_USAGE');
    assertFails(t(['sign', '--key', 'k.jwk', 'missing.txt']), 2, 'ERR_FILE_UNREADABLE');
    assertFails(t(['verify', '--key', 'k.pub.jwk', '--bogus']), 2, 'ERR_USAGE');
    assertFails(t(['verify', '--key', 'k.pub.jwk', 'a', 'b']), 2, 'ERR_USAGE');
    assertFails(t(['verify', '--key', 'nope.jwk'], { input: 'a.b.c' }), 2, 'ERR_FILE_UNREADABLE');
  });

  test('garbage that is not a token at all is exit 2', () => {
    for (const input of ['', 'hello world', '{not json', '{"foo":1}', 'only.two', '<html>']) {
      assertFails(t(['verify', '--key', 'k.pub.jwk'], { input }), 2, 'ERR_INPUT_INVALID');
    }
  });

  test('malformed keys are exit 2, before the token is looked at', () => {
    mkdirSync(f('adir'), { recursive: true });
    writeFileSync(f('bad-ec.jwk'), '{"kty":"EC","crv":"P-256"}');
    writeFileSync(f('bad.pem'), '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n');
    writeFileSync(f('junk.key'), 'this is not a key');
    writeFileSync(f('bad-set.json'), '{"keys":"no"}');
    const token = ok(['sign', '--key', 'k.jwk'], 'x');
    assertFails(t(['verify', '--key', 'bad-ec.jwk'], { input: token }), 2, 'ERR_JWK_INVALID');
    assertFails(t(['verify', '--key', 'bad.pem'], { input: token }), 2, 'ERR_KEY_INVALID');
    assertFails(t(['verify', '--key', 'junk.key'], { input: token }), 2, 'ERR_KEY_INVALID');
    assertFails(t(['verify', '--key', 'bad-set.json'], { input: token }), 2, 'ERR_JWKS_INVALID');
    assertFails(t(['verify', '--key', 'adir'], { input: token }), 2, 'ERR_FILE_UNREADABLE');
  });

  test('--json makes errors one JSON object', () => {
    const r = t(['verify', '--json', '--key', 'k.pub.jwk'], { input: 'garbage' });
    assert.equal(r.status, 2);
    assert.deepEqual(JSON.parse(r.stderr).error.code, 'ERR_INPUT_INVALID');
    assert.equal(JSON.parse(r.stderr).error.exit, 2);
    const u = t(['verify', '--json', '--nope']);
    assert.equal(JSON.parse(u.stderr).error.code, 'ERR_USAGE');
  });
});

describe('thumbprint and jwks', () => {
  test('the thumbprint is the kid keygen chose; --uri and --hash', () => {
    const kid = JSON.parse(readFileSync(f('k.jwk'), 'utf8')).kid;
    assert.equal(ok(['thumbprint', '--key', 'k.jwk']), `${kid}\n`);
    assert.equal(ok(['thumbprint', '--key', 'k.pub.jwk', '--uri']), `urn:ietf:params:oauth:jwk-thumbprint:sha-256:${kid}\n`);
    assert.notEqual(ok(['thumbprint', '--key', 'k.jwk', '--hash', 'sha512']), `${kid}\n`);
    assertFails(t(['thumbprint', '--key', 'k.jwk', '--hash', 'md5']), 2, 'ERR_USAGE');
    assertFails(t(['thumbprint']), 2, 'ERR_USAGE');
  });

  test('jwks prints public keys only and refuses secrets', () => {
    const set = JSON.parse(ok(['jwks', 'k.jwk', 'r.pem']));
    assert.equal(set.keys.length, 2);
    for (const k of set.keys) assert.equal(k.d, undefined);
    assertFails(t(['jwks', 'h.jwk']), 2, 'ERR_USAGE');
    assertFails(t(['jwks']), 2, 'ERR_USAGE');
    assertFails(t(['jwks', 'missing.jwk']), 2, 'ERR_FILE_UNREADABLE');
  });
});
