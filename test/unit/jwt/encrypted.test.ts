/**
 * Encrypted JWTs (claims as the JWE plaintext) and nested JWTs (a JWS inside a JWE with
 * `cty: "JWT"`, RFC 7519 §5.2), including the replicated header claims of RFC 7519 §5.3 and the
 * serialization-confusion attacks of THREATS.md §18.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { platform } from '#platform';
import { decryptJWE, encryptJWE } from '../../../src/jwe/compact.ts';
import type { DecryptKey, DecryptOptions } from '../../../src/jwe/types.ts';
import { signJWS } from '../../../src/jws/compact.ts';
import type { VerifyKey } from '../../../src/jws/types.ts';
import {
  createNestedJWTSigner,
  createNestedJWTSignerSync,
  createNestedJWTVerifier,
  createNestedJWTVerifierSync,
  decodeJWT,
  decryptAndVerifyJWT,
  decryptAndVerifyJWTSync,
  decryptJWT,
  decryptJWTSync,
  encodeUnsecuredJWT,
  encryptJWT,
  encryptJWTSync,
  signAndEncryptJWT,
  signAndEncryptJWTSync,
  signJWT,
  verifyJWT,
  type JWTDecryptOptions,
  type JWTVerifyOptions,
} from '../../../src/jwt/index.ts';
import { testKeyPair } from '../../helpers/keys.ts';
import { generateKeyPairSync } from '../../helpers/node-keygen.ts';
import type { JWK } from '../../../src/jwa/types.ts';
import { AT, NOW, SECRET, b64u, ec, syncOrUnsupported, unb64u } from './fixtures.ts';

const CEK = new Uint8Array(32).fill(9);
const dir = { alg: 'dir', enc: 'A256GCM' } as const;
const p256enc = testKeyPair('P-384'); // a different key from the signing key (testKeyPair caches per kind)
const other = freshP256();
const at = { currentDate: AT };
function freshP256(): { privateJWK: JWK; publicJWK: JWK } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { privateJWK: privateKey.export({ format: 'jwk' }) as JWK, publicJWK: publicKey.export({ format: 'jwk' }) as JWK };
}
const headerOf = (token: string): Record<string, unknown> => JSON.parse(unb64u(token.split('.')[0] as string)) as Record<string, unknown>;

type Decrypt = (token: string, key: DecryptKey, options: JWTDecryptOptions) => Promise<unknown>;
const DECRYPTS: Array<[string, Decrypt]> = [['decryptJWT', (t, k, o) => decryptJWT(t, k, o)]];
if (platform.syncSupported) DECRYPTS.push(['decryptJWTSync', async (t, k, o) => decryptJWTSync(t, k, o)]);

async function decryptRejects(token: string, key: DecryptKey, options: JWTDecryptOptions, expected: Record<string, string>): Promise<void> {
  for (const [name, fn] of DECRYPTS) await assert.rejects(fn(token, key, options), expected, name);
}

describe('encryptJWT / decryptJWT', () => {
  test('round trip (dir + A256GCM, ECDH-ES+A256KW): claims are the plaintext, no cty', async () => {
    const token = await encryptJWT({ sub: 'ada' }, CEK, { ...dir, ...at, issuer: 'i', expiresIn: '10m', typ: 'JWT' });
    assert.deepEqual(headerOf(token), { alg: 'dir', enc: 'A256GCM', typ: 'JWT' });
    const raw = await decryptJWE(token, CEK);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(raw.plaintext)), { sub: 'ada', iss: 'i', exp: NOW + 600, iat: NOW });
    for (const [, fn] of DECRYPTS) {
      const r = (await fn(token, CEK, { ...at, issuer: 'i', typ: 'JWT' })) as { payload: Record<string, unknown> };
      assert.equal(r.payload.sub, 'ada');
    }
    const ecdh = await encryptJWT({ sub: 'bob' }, p256enc.publicJWK, { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' });
    assert.equal((await decryptJWT(ecdh, p256enc.privateJWK, { algorithms: ['ECDH-ES+A256KW'] })).payload.sub, 'bob');
  });
  test('claims are validated after decryption', async () => {
    const token = await encryptJWT({ aud: 'x' }, CEK, { ...dir, ...at, expiresIn: 60 });
    await decryptRejects(token, CEK, { currentDate: new Date((NOW + 60) * 1000) }, { code: 'ERR_JWT_EXPIRED' });
    await decryptRejects(token, CEK, { ...at, audience: 'api' }, { code: 'ERR_JWT_CLAIM_INVALID', claim: 'aud', reason: 'mismatch' });
    await decryptRejects(token, CEK, { ...at, typ: 'JWT' }, { code: 'ERR_JWT_TYPE_INVALID' });
    const bad = await encryptJWE(`{"exp":"${NOW + 60}"}`, CEK, dir);
    await decryptRejects(bad, CEK, at, { code: 'ERR_JWT_CLAIM_INVALID', claim: 'exp', reason: 'invalid' });
    const dup = await encryptJWE('{"sub":"a","sub":"b"}', CEK, dir);
    await decryptRejects(dup, CEK, at, { code: 'ERR_JSON_DUPLICATE_MEMBER' });
    const notObject = await encryptJWE('["a"]', CEK, dir);
    await decryptRejects(notObject, CEK, at, { code: 'ERR_JWT_INVALID' });
  });
  test('a JWS given to decryptJWT → ERR_JWE_EXPECTED (before any other step)', async () => {
    const jws = await signJWT({ sub: 'a' }, SECRET, { alg: 'HS256' });
    await decryptRejects(jws, CEK, {}, { code: 'ERR_JWE_EXPECTED' });
    await decryptRejects(jws, CEK, { issuer: /x/ as never }, { code: 'ERR_JWE_EXPECTED' });
  });
  test('a nested JWT given to decryptJWT → ERR_JWT_INVALID (use decryptAndVerifyJWT)', async () => {
    const nested = await signAndEncryptJWT({ sub: 'a' }, { signKey: SECRET, signOptions: { alg: 'HS256' } }, { encryptKey: CEK, encryptOptions: dir });
    await decryptRejects(nested, CEK, {}, { code: 'ERR_JWT_INVALID' });
    // Refused for its cty, not merely because a JWS is not JSON: a claims object under cty JWT fails too.
    const mislabelled = await encryptJWE('{"sub":"a"}', CEK, { ...dir, protectedHeader: { cty: 'jwt' } });
    await decryptRejects(mislabelled, CEK, {}, { code: 'ERR_JWT_INVALID' });
  });
  test('replicated claims (RFC 7519 §5.3) are written, and a header that differs from the claims → mismatch', async () => {
    const token = await encryptJWT({ iss: 'i', aud: ['a', 'b'] }, CEK, { ...dir, replicate: ['iss', 'aud', 'sub'] });
    assert.deepEqual(headerOf(token), { alg: 'dir', enc: 'A256GCM', iss: 'i', aud: ['a', 'b'] });
    await decryptJWT(token, CEK);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ iss: 'evil' }, 'iss'],
      [{ sub: 'root' }, 'sub'],
      [{ aud: ['a'] }, 'aud'],
      [{ aud: 'a' }, 'aud'],
      [{ aud: ['b', 'a'] }, 'aud'],
    ];
    for (const [header, claim] of cases) {
      const forged = await encryptJWE('{"iss":"i","sub":"ada","aud":["a","b"]}', CEK, { ...dir, protectedHeader: header });
      await decryptRejects(forged, CEK, {}, { code: 'ERR_JWT_CLAIM_INVALID', claim, reason: 'mismatch' });
    }
  });
  test('bad options → ERR_INVALID_ARGUMENT', async () => {
    await assert.rejects(encryptJWT({}, CEK, { ...dir, replicate: ['exp'] as never }), { code: 'ERR_INVALID_ARGUMENT' });
    await assert.rejects(encryptJWT({}, CEK, { ...dir, protectedHeader: { cty: 'JWT' } }), { code: 'ERR_INVALID_ARGUMENT' });
    await assert.rejects(encryptJWT({ iss: 'a' }, CEK, { ...dir, replicate: ['iss'], protectedHeader: { iss: 'a' } }), { code: 'ERR_INVALID_ARGUMENT' });
    await assert.rejects(encryptJWT([] as never, CEK, dir), { code: 'ERR_INVALID_ARGUMENT' });
  });
  test(`encryptJWTSync (${platform.syncSupported ? 'works' : 'ERR_SYNC_UNSUPPORTED'})`, async () => {
    await syncOrUnsupported(
      () => encryptJWTSync({ sub: 'ada' }, CEK, { ...dir, ...at }),
      async (token) => assert.equal((await decryptJWT(token as string, CEK, at)).payload.sub, 'ada'),
    );
    if (!platform.syncSupported) assert.throws(() => decryptJWTSync('a.b.c.d.e', CEK), { code: 'ERR_SYNC_UNSUPPORTED' });
  });
});

type Nested = (token: string, decryptKey: DecryptKey, decryptOptions: DecryptOptions, verifyKey: VerifyKey, verifyOptions: JWTVerifyOptions) => Promise<unknown>;
const NESTED: Array<[string, Nested]> = [
  ['decryptAndVerifyJWT', (t, dk, dopt, vk, vopt) => decryptAndVerifyJWT(t, { decryptKey: dk, decryptOptions: dopt }, { verifyKey: vk, verifyOptions: vopt })],
  [
    'createNestedJWTVerifier().verify',
    async (t, dk, dopt, vk, vopt) => (await createNestedJWTVerifier({ decryptKey: dk, decryptOptions: dopt }, { verifyKey: vk, verifyOptions: vopt })).verify(t),
  ],
];
if (platform.syncSupported) {
  NESTED.push(
    ['decryptAndVerifyJWTSync', async (t, dk, dopt, vk, vopt) => decryptAndVerifyJWTSync(t, { decryptKey: dk, decryptOptions: dopt }, { verifyKey: vk, verifyOptions: vopt })],
    [
      'createNestedJWTVerifierSync().verifySync',
      async (t, dk, dopt, vk, vopt) => createNestedJWTVerifierSync({ decryptKey: dk, decryptOptions: dopt }, { verifyKey: vk, verifyOptions: vopt }).verifySync(t),
    ],
  );
}

async function nestedRejects(token: string, verifyOptions: JWTVerifyOptions, expected: Record<string, string>, verifyKey: VerifyKey = ec.publicJWK): Promise<void> {
  for (const [name, fn] of NESTED) await assert.rejects(fn(token, CEK, {}, verifyKey, verifyOptions), expected, name);
}

const signPart = { signKey: ec.privateJWK, signOptions: { alg: 'ES256', issuer: 'https://issuer.example', audience: 'api', expiresIn: '5m', currentDate: AT } };
const verifyOpts = { algorithms: ['ES256'], issuer: 'https://issuer.example', audience: 'api', currentDate: AT };

describe('nested JWTs: signAndEncryptJWT / decryptAndVerifyJWT', () => {
  test('round trip through every entry point; cty JWT; replicated claims in the JWE header', async () => {
    const token = await signAndEncryptJWT({ sub: 'ada' }, signPart, { encryptKey: CEK, encryptOptions: dir, replicate: ['iss', 'aud'] });
    assert.deepEqual(headerOf(token), { alg: 'dir', enc: 'A256GCM', cty: 'JWT', iss: 'https://issuer.example', aud: 'api' });
    const d = decodeJWT(token);
    assert.equal(d.kind, 'jwe');
    for (const [name, fn] of NESTED) {
      const r = (await fn(token, CEK, {}, ec.publicJWK, verifyOpts)) as { payload: Record<string, unknown>; jweHeader: Record<string, unknown>; protectedHeader: Record<string, unknown> };
      assert.equal(r.payload.sub, 'ada', name);
      assert.equal(r.jweHeader.cty, 'JWT');
      assert.equal(r.protectedHeader.alg, 'ES256');
    }
  });
  test('the inner JWS is an ordinary signed JWT', async () => {
    const token = await signAndEncryptJWT({ sub: 'ada' }, signPart, { encryptKey: p256enc.publicJWK, encryptOptions: { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' } });
    const outer = await decryptJWE(token, p256enc.privateJWK);
    const inner = new TextDecoder().decode(outer.plaintext);
    assert.equal((await verifyJWT(inner, ec.publicJWK, verifyOpts)).payload.sub, 'ada');
  });
  test('cty is compared case-insensitively with application/ optional; absent or other → ERR_JWT_INVALID', async () => {
    const inner = await signJWT({ sub: 'ada' }, ec.privateJWK, { alg: 'ES256' });
    for (const cty of ['jwt', 'application/JWT', 'JWT']) {
      const token = await encryptJWE(inner, CEK, { ...dir, protectedHeader: { cty } });
      await decryptAndVerifyJWT(token, { decryptKey: CEK }, { verifyKey: ec.publicJWK });
    }
    await nestedRejects(await encryptJWE(inner, CEK, dir), {}, { code: 'ERR_JWT_INVALID' });
    await nestedRejects(await encryptJWE(inner, CEK, { ...dir, protectedHeader: { cty: 'JOSE' } }), {}, { code: 'ERR_JWT_INVALID' });
  });
  test('an inner alg none (an unsecured JWT encrypted by hand) → ERR_ALG_NONE', async () => {
    const token = await encryptJWE(encodeUnsecuredJWT({ sub: 'admin' }), CEK, { ...dir, protectedHeader: { cty: 'JWT' } });
    await nestedRejects(token, {}, { code: 'ERR_ALG_NONE' });
    await nestedRejects(token, { algorithms: ['none'] }, { code: 'ERR_ALG_NONE' });
  });
  test('an inner token signed with a key the caller did not allow → refused', async () => {
    const byOther = await signAndEncryptJWT({ sub: 'a' }, { signKey: other.privateJWK, signOptions: { alg: 'ES256' } }, { encryptKey: CEK, encryptOptions: dir });
    await nestedRejects(byOther, {}, { code: 'ERR_JWS_SIGNATURE_INVALID' });
    const hs = await signAndEncryptJWT({ sub: 'a' }, { signKey: SECRET, signOptions: { alg: 'HS256' } }, { encryptKey: CEK, encryptOptions: dir });
    await nestedRejects(hs, { algorithms: ['ES256'] }, { code: 'ERR_ALG_NOT_ALLOWED' });
    await nestedRejects(hs, {}, { code: 'ERR_ALG_NOT_ALLOWED' }); // allow-list derived from the EC key
  });
  test('outer/inner iss mismatch (replicated header claim differs) → ERR_JWT_CLAIM_INVALID (iss, mismatch)', async () => {
    const inner = await signJWT({ sub: 'ada' }, ec.privateJWK, { alg: 'ES256', issuer: 'https://issuer.example', audience: 'api', currentDate: AT, expiresIn: 60 });
    const token = await encryptJWE(inner, CEK, { ...dir, protectedHeader: { cty: 'JWT', iss: 'https://other.example' } });
    await nestedRejects(token, verifyOpts, { code: 'ERR_JWT_CLAIM_INVALID', claim: 'iss', reason: 'mismatch' });
    const audToken = await encryptJWE(inner, CEK, { ...dir, protectedHeader: { cty: 'JWT', aud: ['api', 'more'] } });
    await nestedRejects(audToken, verifyOpts, { code: 'ERR_JWT_CLAIM_INVALID', claim: 'aud', reason: 'mismatch' });
  });
  test('inner claims are validated (expired, wrong audience, typ)', async () => {
    const token = await signAndEncryptJWT({}, signPart, { encryptKey: CEK, encryptOptions: dir });
    await nestedRejects(token, { ...verifyOpts, currentDate: new Date((NOW + 300) * 1000) }, { code: 'ERR_JWT_EXPIRED' });
    await nestedRejects(token, { ...verifyOpts, audience: 'other' }, { code: 'ERR_JWT_CLAIM_INVALID', claim: 'aud', reason: 'mismatch' });
    await nestedRejects(token, { ...verifyOpts, typ: 'JWT' }, { code: 'ERR_JWT_TYPE_INVALID' });
  });
  test('a JWS given to the nested decrypter → ERR_JWE_EXPECTED; a JWE inside the JWE → ERR_JWS_EXPECTED', async () => {
    const jws = await signJWT({ sub: 'a' }, ec.privateJWK, { alg: 'ES256' });
    await nestedRejects(jws, {}, { code: 'ERR_JWE_EXPECTED' });
    const jweInJwe = await encryptJWE(await encryptJWT({ sub: 'a' }, CEK, dir), CEK, { ...dir, protectedHeader: { cty: 'JWT' } });
    await nestedRejects(jweInJwe, {}, { code: 'ERR_JWS_EXPECTED' });
  });
  test('the decryption allow-list applies to the outer layer', async () => {
    const token = await signAndEncryptJWT({}, signPart, { encryptKey: p256enc.publicJWK, encryptOptions: { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' } });
    await assert.rejects(
      decryptAndVerifyJWT(token, { decryptKey: p256enc.privateJWK, decryptOptions: { algorithms: ['ECDH-ES'] } }, { verifyKey: ec.publicJWK, verifyOptions: verifyOpts }),
      { code: 'ERR_ALG_NOT_ALLOWED' },
    );
  });
  test('bad arguments → ERR_INVALID_ARGUMENT', async () => {
    await assert.rejects(signAndEncryptJWT({}, signPart, { encryptKey: CEK, encryptOptions: { ...dir, protectedHeader: { cty: 'JOSE' } } }), { code: 'ERR_INVALID_ARGUMENT' });
    await assert.rejects(signAndEncryptJWT({}, signPart, { encryptKey: CEK, encryptOptions: dir, replicate: ['jti'] as never }), { code: 'ERR_INVALID_ARGUMENT' });
    await assert.rejects(signAndEncryptJWT({}, null as never, { encryptKey: CEK, encryptOptions: dir }), { code: 'ERR_INVALID_ARGUMENT' });
    await assert.rejects(decryptAndVerifyJWT('a.b.c.d.e', { decryptKey: CEK }, { verifyKey: ec.publicJWK, verifyOptions: { audience: 1 as never } }), { code: 'ERR_INVALID_ARGUMENT' });
    await assert.rejects(createNestedJWTSigner(signPart, { encryptKey: CEK, encryptOptions: { alg: 'dir' } as never }), { code: 'ERR_JWE_INVALID' });
  });
});

describe('nested factories', () => {
  test('createNestedJWTSigner, with and without replicated claims', async () => {
    for (const replicate of [undefined, ['iss', 'sub'] as const]) {
      const signer = await createNestedJWTSigner(signPart, { encryptKey: p256enc.publicJWK, encryptOptions: { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' }, ...(replicate && { replicate }) });
      const verifier = await createNestedJWTVerifier({ decryptKey: p256enc.privateJWK }, { verifyKey: ec.publicJWK, verifyOptions: verifyOpts });
      for (const sub of ['ada', 'bob']) {
        const token = await signer.sign({ sub });
        const h = headerOf(token);
        assert.equal(h.sub, replicate ? sub : undefined);
        assert.equal((await verifier.verify(token)).payload.sub, sub);
      }
      await syncOrUnsupported(
        () => signer.signSync({ sub: 'carol' }),
        async (token) => assert.equal((await verifier.verify(token as string)).payload.sub, 'carol'),
      );
    }
  });
  test(`createNestedJWTSignerSync (${platform.syncSupported ? 'works' : 'ERR_SYNC_UNSUPPORTED'})`, async () => {
    await syncOrUnsupported(
      () => createNestedJWTSignerSync(signPart, { encryptKey: CEK, encryptOptions: dir }),
      async (signer) => {
        const token = (signer as { signSync(c: object): string }).signSync({ sub: 'ada' });
        assert.equal(createNestedJWTVerifierSync({ decryptKey: CEK }, { verifyKey: ec.publicJWK, verifyOptions: verifyOpts }).verifySync(token).payload.sub, 'ada');
        assert.equal(signAndEncryptJWTSync({ sub: 'x' }, signPart, { encryptKey: CEK, encryptOptions: dir }).split('.').length, 5);
      },
    );
    if (!platform.syncSupported) {
      assert.throws(() => signAndEncryptJWTSync({}, signPart, { encryptKey: CEK, encryptOptions: dir }), { code: 'ERR_SYNC_UNSUPPORTED' });
      assert.throws(() => decryptAndVerifyJWTSync('a.b.c.d.e', { decryptKey: CEK }, { verifyKey: ec.publicJWK }), { code: 'ERR_SYNC_UNSUPPORTED' });
      assert.throws(() => createNestedJWTVerifierSync({ decryptKey: CEK }, { verifyKey: ec.publicJWK }), { code: 'ERR_SYNC_UNSUPPORTED' });
    }
  });
  test('a header with forged replicated claims is caught by the nested verifier too', async () => {
    const inner = await signJWT({ sub: 'ada' }, ec.privateJWK, { alg: 'ES256', issuer: 'https://issuer.example', audience: 'api', currentDate: AT });
    const token = await encryptJWE(inner, CEK, { ...dir, protectedHeader: { cty: 'JWT', sub: 'root' } });
    const verifier = await createNestedJWTVerifier({ decryptKey: CEK }, { verifyKey: ec.publicJWK, verifyOptions: verifyOpts });
    await assert.rejects(verifier.verify(token), { code: 'ERR_JWT_CLAIM_INVALID', claim: 'sub', reason: 'mismatch' });
  });
  test('b64u helper sanity', () => assert.equal(b64u('{}'), 'e30'));
});
