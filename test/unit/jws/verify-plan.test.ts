/**
 * The planned fast path (src/jws/verify-plan.ts) must give what the general path gives: the same
 * result for a good token and the same error code for every bad one. The general path is reached
 * through a key resolver (never planned); the planned one through a factory and the plain
 * functions with one key. On WebCrypto nothing is planned, and the same assertions hold.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isTesseraError } from '../../../src/core/errors.ts';
import {
  createVerifier,
  createVerifierSync,
  signJWS,
  verifyJWS,
  verifyJWSSync,
  type VerifyOptions,
  type VerifyResult,
} from '../../../src/jws/index.ts';
import { importJWK, importSecret } from '../../../src/jwk/index.ts';
import type { TesseraKey } from '../../../src/jwa/key.ts';
import { platform } from '#platform';
import { b64u, forgeHS256, forgeHS256Text, pair, secretBytes, segments } from '../../helpers/jws-fixtures.ts';

const SECRET = secretBytes(32, 5);
const PAYLOAD = '{"sub":"ada","aud":"api"}';

type Way = (token: string, key: TesseraKey, options: VerifyOptions) => Promise<VerifyResult>;

/** Every way to verify; `general` is the reference. */
function ways(): Record<string, Way> {
  const out: Record<string, Way> = {
    general: (t, k, o) => verifyJWS(t, () => k, { algorithms: ['HS256', 'ES256'], ...o }),
    'verifyJWS': (t, k, o) => verifyJWS(t, k, o),
    'createVerifier().verify': async (t, k, o) => (await createVerifier(k, o)).verify(t),
  };
  if (platform.syncSupported) {
    out['verifyJWSSync'] = async (t, k, o) => verifyJWSSync(t, k, o);
    out['createVerifierSync().verifySync'] = async (t, k, o) => createVerifierSync(k, o).verifySync(t);
    // The same factory twice: the second call takes the plan's memo of the last header.
    out['factory, second call'] = async (t, k, o) => {
      const v = createVerifierSync(k, o);
      await v.verify(forgeHS256Text('{"alg":"HS256","typ":"other"}', PAYLOAD, SECRET)).catch(() => undefined);
      await v.verify(t).catch(() => undefined);
      return v.verifySync(t);
    };
  }
  return out;
}

async function outcome(way: Way, token: string, key: TesseraKey, options: VerifyOptions): Promise<string> {
  try {
    const r = await way(token, key, options);
    return `ok ${Buffer.from(r.payload).toString()} ${JSON.stringify(r.protectedHeader)} ${r.key === key}`;
  } catch (err) {
    assert.ok(isTesseraError(err), `not a tessera error: ${String(err)}`);
    return (err as { code: string }).code;
  }
}

describe('verify plan: same outcome as the general path', async () => {
  const key = await importSecret(SECRET);
  const es = await importJWK(pair('P-256').publicJWK);
  const good = await signJWS(PAYLOAD, key, { alg: 'HS256', protectedHeader: { typ: 'JWT' } });
  const [h, p, s] = segments(good);
  const cases: Array<[string, string, TesseraKey, VerifyOptions, string]> = [
    ['a good token', good, key, { algorithms: ['HS256'] }, 'ok'],
    ['a good token, allow-list derived from the key', good, key, {}, 'ok'],
    ['alg outside the allow-list', good, key, { algorithms: ['HS384'] }, 'ERR_ALG_NOT_ALLOWED'],
    ['alg none', forgeHS256Text('{"alg":"none"}', PAYLOAD, SECRET), key, { algorithms: ['HS256'] }, 'ERR_ALG_NONE'],
    ['no alg', forgeHS256Text('{"typ":"JWT"}', PAYLOAD, SECRET), key, { algorithms: ['HS256'] }, 'ERR_HEADER_INVALID'],
    ['alg not a string', forgeHS256Text('{"alg":["HS256"]}', PAYLOAD, SECRET), key, { algorithms: ['HS256'] }, 'ERR_HEADER_INVALID'],
    ['unknown crit', forgeHS256Text('{"alg":"HS256","crit":["x"],"x":1}', PAYLOAD, SECRET), key, { algorithms: ['HS256'] }, 'ERR_CRIT_UNSUPPORTED'],
    ['understood crit', forgeHS256Text('{"alg":"HS256","crit":["x"],"x":1}', PAYLOAD, SECRET), key, { algorithms: ['HS256'], crit: ['x'] }, 'ok'],
    ['mutated signature', `${h}.${p}.${s.slice(0, -2)}${s.at(-2) === 'A' ? 'B' : 'A'}${s.at(-1)}`, key, { algorithms: ['HS256'] }, 'ERR_JWS_SIGNATURE_INVALID'],
    ['signature with padding', `${good}=`, key, { algorithms: ['HS256'] }, 'ERR_BASE64URL_INVALID'],
    ['signature with "+"', `${h}.${p}.+${s.slice(1)}`, key, { algorithms: ['HS256'] }, 'ERR_BASE64URL_INVALID'],
    ['non-canonical last signature character', `${h}.${p}.${s.slice(0, -1)}${s.at(-1) === 'A' ? 'B' : 'F'}`, key, { algorithms: ['HS256'] }, 'ERR_BASE64URL_INVALID'],
    ['payload with whitespace', forgeHS256(h, `${p.slice(0, 4)} ${p.slice(4)}`, SECRET), key, { algorithms: ['HS256'] }, 'ERR_BASE64URL_INVALID'],
    ['short signature', `${h}.${p}.${s.slice(0, 20)}`, key, { algorithms: ['HS256'] }, 'ERR_JWS_SIGNATURE_INVALID'],
    ['empty signature', `${h}.${p}.`, key, { algorithms: ['HS256'] }, 'ERR_JWS_SIGNATURE_INVALID'],
    ['two parts', `${h}.${p}`, key, { algorithms: ['HS256'] }, 'ERR_JWS_INVALID'],
    ['four parts', `${good}.x`, key, { algorithms: ['HS256'] }, 'ERR_JWS_INVALID'],
    ['duplicate header member', forgeHS256Text('{"alg":"HS256","alg":"HS256"}', PAYLOAD, SECRET), key, { algorithms: ['HS256'] }, 'ERR_JSON_DUPLICATE_MEMBER'],
    ['token over the size limit', good, key, { algorithms: ['HS256'], maxTokenLength: good.length - 1 }, 'ERR_TOKEN_TOO_LARGE'],
    ['header over the size limit', good, key, { algorithms: ['HS256'], maxHeaderLength: h.length - 1 }, 'ERR_HEADER_TOO_LARGE'],
    ['allowed alg the key does not fit', forgeHS256Text('{"alg":"ES256"}', PAYLOAD, SECRET), key, { algorithms: ['HS256', 'ES256'] }, 'ERR_KEY_TYPE_MISMATCH'],
    ['an EC key given an HS256 token', good, es, { algorithms: ['HS256', 'ES256'] }, 'ERR_KEY_TYPE_MISMATCH'],
    ['b64 false, understood', forgeHS256(b64u('{"alg":"HS256","b64":false,"crit":["b64"]}'), 'abc', SECRET), key, { algorithms: ['HS256'] }, 'ok'],
    ['detached payload given', `${h}..${s}`, key, { algorithms: ['HS256'], payload: PAYLOAD }, 'ok'],
  ];
  for (const [name, token, k, options, expected] of cases) {
    test(name, async () => {
      const reference = await outcome(ways().general!, token, k, options);
      assert.ok(reference.startsWith(expected), `the general path gave ${reference}, expected ${expected}`);
      for (const [wayName, way] of Object.entries(ways())) {
        assert.equal(await outcome(way, token, k, options), reference, wayName);
      }
    });
  }
});

describe('verify plan: options', () => {
  test('algorithms given as a string is refused, not matched by substring', async () => {
    const key = await importSecret(SECRET);
    const token = await signJWS(PAYLOAD, key, { alg: 'HS256' });
    for (const algorithms of ['HS256', 'HS2567']) {
      const options = { algorithms } as unknown as VerifyOptions;
      await assert.rejects(verifyJWS(token, key, options), { code: 'ERR_INVALID_ARGUMENT' });
      await assert.rejects(createVerifier(key, options), { code: 'ERR_INVALID_ARGUMENT' });
      if (platform.syncSupported) {
        assert.throws(() => createVerifierSync(key, options), { code: 'ERR_INVALID_ARGUMENT' });
        assert.throws(() => verifyJWSSync(token, key, options), { code: 'ERR_INVALID_ARGUMENT' });
      }
    }
  });

  test('crit given as a string is refused, not matched by substring', async () => {
    const key = await importSecret(SECRET);
    const token = await signJWS(PAYLOAD, key, { alg: 'HS256', protectedHeader: { crit: ['tenant'], tenant: 'a' } });
    await verifyJWS(token, key, { algorithms: ['HS256'], crit: ['tenant'] });
    const options = { algorithms: ['HS256'], crit: 'tenants' } as unknown as VerifyOptions;
    await assert.rejects(verifyJWS(token, key, options), { code: 'ERR_INVALID_ARGUMENT' });
    await assert.rejects(createVerifier(key, options), { code: 'ERR_INVALID_ARGUMENT' });
    if (platform.syncSupported) assert.throws(() => verifyJWSSync(token, key, options), { code: 'ERR_INVALID_ARGUMENT' });
  });

  test('changing an allow-list array after a call never widens what a later call accepts', async () => {
    const key = await importSecret(secretBytes(48, 6));
    const hs384 = await signJWS(PAYLOAD, key, { alg: 'HS384' });
    const hs256 = await signJWS(PAYLOAD, key, { alg: 'HS256' });
    const algorithms = ['HS256'];
    const options = { algorithms };
    await verifyJWS(hs256, key, options);
    await assert.rejects(verifyJWS(hs384, key, options), { code: 'ERR_ALG_NOT_ALLOWED' });
    algorithms[0] = 'HS384';
    await verifyJWS(hs384, key, options);
    await assert.rejects(verifyJWS(hs256, key, options), { code: 'ERR_ALG_NOT_ALLOWED' });
    const verifier = await createVerifier(key, options);
    algorithms[0] = 'HS256';
    await assert.rejects(verifier.verify(hs256), { code: 'ERR_ALG_NOT_ALLOWED' });
  });

  test('a factory alternating between two headers returns each token its own header', async () => {
    const key = await importSecret(SECRET);
    const a = await signJWS(PAYLOAD, key, { alg: 'HS256', protectedHeader: { typ: 'JWT' } });
    const b = await signJWS(PAYLOAD, key, { alg: 'HS256', protectedHeader: { kid: 'k1' } });
    const v = await createVerifier(key, { algorithms: ['HS256'] });
    for (let i = 0; i < 4; i++) {
      assert.deepEqual((await v.verify(a)).protectedHeader, { alg: 'HS256', typ: 'JWT' });
      assert.deepEqual((await v.verify(b)).protectedHeader, { alg: 'HS256', kid: 'k1' });
    }
  });

  test('a header that is a prefix of another token\'s header text is not mistaken for it', async () => {
    const key = await importSecret(SECRET);
    const v = await createVerifier(key, { algorithms: ['HS256'] });
    const first = forgeHS256Text('{"alg":"HS256"}', PAYLOAD, SECRET);
    await v.verify(first);
    const [h] = segments(first);
    // Same leading text, one more character before the '.': a different (and invalid) header.
    const longer = forgeHS256(`${h}A`, b64u(PAYLOAD), SECRET);
    await assert.rejects(v.verify(longer), (err: unknown) => isTesseraError(err));
  });
});
