/**
 * The planned JWT verify (claims parsed from text, src/jwt/verify.ts verifyPlannedJWT) must give
 * what the general path gives (reached through a key resolver, which is never planned): the same
 * claims for a good token, the same code and cause for every bad payload.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isTesseraError } from '../../../src/core/errors.ts';
import { importSecret } from '../../../src/jwk/index.ts';
import type { TesseraKey } from '../../../src/jwa/key.ts';
import { createJWTVerifier, verifyJWT, type JWTVerifyOptions } from '../../../src/jwt/index.ts';
import { AT, SECRET, b64u, rawJWT } from './fixtures.ts';
import { forgeHS256 } from '../../helpers/jws-fixtures.ts';

type Way = (token: string, key: TesseraKey, options: JWTVerifyOptions) => Promise<unknown>;

const WAYS: Record<string, Way> = {
  general: (t, k, o) => verifyJWT(t, () => k, { algorithms: ['HS256'], ...o }),
  verifyJWT: (t, k, o) => verifyJWT(t, k, o),
  'createJWTVerifier().verify': async (t, k, o) => (await createJWTVerifier(k, o)).verify(t),
};

async function outcome(way: Way, token: string, key: TesseraKey, options: JWTVerifyOptions): Promise<string> {
  try {
    const r = (await way(token, key, options)) as { payload: unknown; protectedHeader: unknown };
    return `ok ${JSON.stringify(r.payload)} ${JSON.stringify(r.protectedHeader)}`;
  } catch (err) {
    assert.ok(isTesseraError(err), String(err));
    const e = err as { code: string; claim?: string; cause?: { code?: string } };
    return `${e.code} ${e.claim ?? ''} ${e.cause?.code ?? ''}`;
  }
}

describe('planned JWT verify: same outcome as the general path', async () => {
  const key = await importSecret(SECRET);
  const options: JWTVerifyOptions = { algorithms: ['HS256'], currentDate: AT, issuer: 'i' };
  const hs = (payload: Uint8Array | string, header = '{"alg":"HS256"}') => forgeHS256(b64u(header), b64u(payload), SECRET);
  const cases: Array<[string, string | Promise<string>, string]> = [
    ['good claims', rawJWT('{"iss":"i","sub":"ada"}'), 'ok'],
    ['non-ASCII claims', rawJWT('{"iss":"i","name":"Zoë 🐢"}'), 'ok'],
    ['claims that are not UTF-8', hs(Uint8Array.of(0x7b, 0x22, 0x69, 0x73, 0x73, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d)), 'ERR_JWT_INVALID  ERR_JSON_INVALID'],
    ['claims that are an array', hs('["i"]'), 'ERR_JWT_INVALID  ERR_JSON_INVALID'],
    ['claims that are not JSON', hs('hello'), 'ERR_JWT_INVALID  ERR_JSON_INVALID'],
    ['duplicate claims', hs('{"iss":"i","iss":"i"}'), 'ERR_JSON_DUPLICATE_MEMBER'],
    ['wrong issuer', hs('{"iss":"j"}'), 'ERR_JWT_CLAIM_INVALID iss'],
    ['exp as a string', hs('{"iss":"i","exp":"1"}'), 'ERR_JWT_CLAIM_INVALID exp'],
    ['payload with padding', `${b64u('{"alg":"HS256"}')}.${b64u('{"iss":"i"}')}=.${'A'.repeat(43)}`, 'ERR_BASE64URL_INVALID'],
    ['bad signature', `${b64u('{"alg":"HS256"}')}.${b64u('{"iss":"i"}')}.${'A'.repeat(43)}`, 'ERR_JWS_SIGNATURE_INVALID'],
    ['bad signature and claims that are not UTF-8', `${b64u('{"alg":"HS256"}')}.${b64u(Uint8Array.of(0xff))}.${'A'.repeat(43)}`, 'ERR_JWS_SIGNATURE_INVALID'],
    ['a JWE', 'a.b.c.d.e', 'ERR_JWS_EXPECTED'],
    ['typ mismatch', hs('{"iss":"i"}', '{"alg":"HS256","typ":"at+jwt"}'), 'ok'],
  ];
  for (const [name, tokenOrPromise, expected] of cases) {
    test(name, async () => {
      const token = await tokenOrPromise;
      const reference = await outcome(WAYS.general!, token, key, options);
      assert.ok(reference.startsWith(expected), `the general path gave "${reference}", expected "${expected}"`);
      for (const [wayName, way] of Object.entries(WAYS)) assert.equal(await outcome(way, token, key, options), reference, wayName);
      const typed = { ...options, typ: 'JWT' };
      const typedReference = await outcome(WAYS.general!, token, key, typed);
      for (const [wayName, way] of Object.entries(WAYS)) assert.equal(await outcome(way, token, key, typed), typedReference, `${wayName} with typ`);
    });
  }
});
