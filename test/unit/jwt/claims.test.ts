/**
 * Every claim rule of verifyJWT with a token that makes it fail, through every verify entry point,
 * asserting the code, the claim and the reason (RFC 7519 §4.1, THREATS.md §19). Tokens are signed
 * by the JWS layer over hand-written payloads, so the bad claims reach the verifier unchanged.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { signJWS } from '../../../src/jws/compact.ts';
import { verifyJWT } from '../../../src/jwt/index.ts';
import { AT, NOW, SECRET, acceptsEverywhere, claimsJWT, rawJWT, rejectsEverywhere } from './fixtures.ts';

const at = { currentDate: AT };
const invalid = (claim: string) => ({ code: 'ERR_JWT_CLAIM_INVALID', claim, reason: 'invalid' });
const missing = (claim: string) => ({ code: 'ERR_JWT_CLAIM_INVALID', claim, reason: 'missing' });
const mismatch = (claim: string) => ({ code: 'ERR_JWT_CLAIM_INVALID', claim, reason: 'mismatch' });

describe('NumericDate claims: exp, nbf, iat are finite JSON numbers in [0, year 9999]', () => {
  for (const claim of ['exp', 'nbf', 'iat']) {
    const bad: Array<[string, string]> = [
      ['a string of digits', `"${NOW + 60}"`],
      ['beyond 2^53', '9007199254740993'],
      ['after year 9999', '253402300800'],
      ['1e400 (Infinity once parsed)', '1e400'],
      ['negative', '-1'],
      ['null', 'null'],
      ['a boolean', 'true'],
      ['an array', `[${NOW}]`],
      ['an object', '{}'],
    ];
    for (const [what, json] of bad) {
      test(`${claim} as ${what} → ERR_JWT_CLAIM_INVALID (${claim}, invalid)`, async () => {
        await rejectsEverywhere(await rawJWT(`{"sub":"a","${claim}":${json}}`), SECRET, at, invalid(claim));
      });
    }
    test(`${claim} at the bounds 0 and 253402300799 is a valid NumericDate type`, async () => {
      // Checked with a time far enough that each value passes its own time rule.
      const value = claim === 'exp' ? 253402300799 : 0;
      await acceptsEverywhere(await rawJWT(`{"${claim}":${value}}`), SECRET, at);
    });
  }
  test('a fractional NumericDate is accepted (RFC 7519 §2 allows non-integer values)', async () => {
    await acceptsEverywhere(await claimsJWT({ exp: NOW + 0.5, iat: NOW - 0.5 }), SECRET, at);
  });
});

describe('exp (RFC 7519 §4.1.4)', () => {
  test('in the past → ERR_JWT_EXPIRED, claim exp, reason expired', async () => {
    await rejectsEverywhere(await claimsJWT({ exp: NOW - 1 }), SECRET, at, { code: 'ERR_JWT_EXPIRED', claim: 'exp', reason: 'expired' });
  });
  test('equal to now → expired (now MUST be before exp)', async () => {
    await rejectsEverywhere(await claimsJWT({ exp: NOW }), SECRET, at, { code: 'ERR_JWT_EXPIRED', claim: 'exp' });
  });
  test('one second ahead → accepted', async () => {
    await acceptsEverywhere(await claimsJWT({ exp: NOW + 1 }), SECRET, at);
  });
  test('clockTolerance lets an expired token through only within the tolerance', async () => {
    const token = await claimsJWT({ exp: NOW - 30 });
    await acceptsEverywhere(token, SECRET, { ...at, clockTolerance: 31 });
    await acceptsEverywhere(token, SECRET, { ...at, clockTolerance: '1m' });
    await rejectsEverywhere(token, SECRET, { ...at, clockTolerance: 30 }, { code: 'ERR_JWT_EXPIRED', claim: 'exp' });
  });
  test('without currentDate the real clock is used', async () => {
    const now = Math.floor(Date.now() / 1000);
    await rejectsEverywhere(await claimsJWT({ exp: now - 10 }), SECRET, {}, { code: 'ERR_JWT_EXPIRED', claim: 'exp' });
    await acceptsEverywhere(await claimsJWT({ exp: now + 600 }), SECRET, {});
  });
});

describe('nbf (RFC 7519 §4.1.5)', () => {
  test('in the future → ERR_JWT_CLAIM_INVALID (nbf, not-yet-valid)', async () => {
    await rejectsEverywhere(await claimsJWT({ nbf: NOW + 1 }), SECRET, at, {
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'nbf',
      reason: 'not-yet-valid',
    });
  });
  test('equal to now → accepted (now may equal nbf)', async () => {
    await acceptsEverywhere(await claimsJWT({ nbf: NOW }), SECRET, at);
  });
  test('within the clock tolerance → accepted; beyond → refused', async () => {
    const token = await claimsJWT({ nbf: NOW + 30 });
    await acceptsEverywhere(token, SECRET, { ...at, clockTolerance: 30 });
    await rejectsEverywhere(token, SECRET, { ...at, clockTolerance: 29 }, { code: 'ERR_JWT_CLAIM_INVALID', claim: 'nbf', reason: 'not-yet-valid' });
  });
});

describe('iat (RFC 7519 §4.1.6) and maxTokenAge', () => {
  test('in the future → ERR_JWT_CLAIM_INVALID (iat, in-the-future)', async () => {
    await rejectsEverywhere(await claimsJWT({ iat: NOW + 1 }), SECRET, at, {
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'iat',
      reason: 'in-the-future',
    });
  });
  test('in the future but within the clock tolerance → accepted', async () => {
    await acceptsEverywhere(await claimsJWT({ iat: NOW + 5 }), SECRET, { ...at, clockTolerance: '5s' });
  });
  test('older than maxTokenAge → ERR_JWT_CLAIM_INVALID (iat, too-old)', async () => {
    const token = await claimsJWT({ iat: NOW - 301 });
    await rejectsEverywhere(token, SECRET, { ...at, maxTokenAge: '5m' }, { code: 'ERR_JWT_CLAIM_INVALID', claim: 'iat', reason: 'too-old' });
    await acceptsEverywhere(token, SECRET, { ...at, maxTokenAge: 301 });
    await acceptsEverywhere(token, SECRET, { ...at, maxTokenAge: 300, clockTolerance: 1 });
  });
  test('maxTokenAge without iat → ERR_JWT_CLAIM_INVALID (iat, missing)', async () => {
    await rejectsEverywhere(await claimsJWT({ sub: 'a' }), SECRET, { ...at, maxTokenAge: 60 }, missing('iat'));
  });
});

describe('iss (RFC 7519 §4.1.1)', () => {
  test('an array → invalid, even when no issuer is required (fast-jwt CVE-2025-30144)', async () => {
    const token = await claimsJWT({ iss: ['https://issuer.example'] });
    await rejectsEverywhere(token, SECRET, at, invalid('iss'));
    await rejectsEverywhere(token, SECRET, { ...at, issuer: 'https://issuer.example' }, invalid('iss'));
  });
  test('a number → invalid', async () => {
    await rejectsEverywhere(await claimsJWT({ iss: 1 }), SECRET, at, invalid('iss'));
  });
  test('another issuer → mismatch; exact match only (no case folding, no prefix)', async () => {
    for (const iss of ['https://evil.example', 'HTTPS://ISSUER.EXAMPLE', 'https://issuer.example/', 'https://issuer.exampl']) {
      await rejectsEverywhere(await claimsJWT({ iss }), SECRET, { ...at, issuer: 'https://issuer.example' }, mismatch('iss'));
    }
  });
  test('absent while an issuer is required → missing', async () => {
    await rejectsEverywhere(await claimsJWT({ sub: 'a' }), SECRET, { ...at, issuer: 'https://issuer.example' }, missing('iss'));
  });
  test('one of several accepted issuers → accepted', async () => {
    const payload = await acceptsEverywhere(await claimsJWT({ iss: 'b' }), SECRET, { ...at, issuer: ['a', 'b'] });
    assert.equal(payload.iss, 'b');
  });
});

describe('sub (RFC 7519 §4.1.2)', () => {
  test('not a string → invalid', async () => {
    await rejectsEverywhere(await claimsJWT({ sub: 42 }), SECRET, at, invalid('sub'));
  });
  test('another subject → mismatch', async () => {
    await rejectsEverywhere(await claimsJWT({ sub: 'bob' }), SECRET, { ...at, subject: 'ada' }, mismatch('sub'));
  });
  test('absent while a subject is required → missing', async () => {
    await rejectsEverywhere(await claimsJWT({ iss: 'x' }), SECRET, { ...at, subject: 'ada' }, missing('sub'));
  });
});

describe('aud (RFC 7519 §4.1.3)', () => {
  test('an array holding a non-string → invalid', async () => {
    for (const aud of [['api', 1], ['api', null], [['api']], [{}]]) {
      await rejectsEverywhere(await claimsJWT({ aud }), SECRET, { ...at, audience: 'api' }, invalid('aud'));
      await rejectsEverywhere(await claimsJWT({ aud }), SECRET, at, invalid('aud'));
    }
  });
  test('a number or an object → invalid', async () => {
    await rejectsEverywhere(await claimsJWT({ aud: 7 }), SECRET, at, invalid('aud'));
    await rejectsEverywhere(await claimsJWT({ aud: { api: true } }), SECRET, at, invalid('aud'));
  });
  test('no accepted audience → mismatch (string, array, empty array)', async () => {
    for (const aud of ['other', ['other', 'more'], []]) {
      await rejectsEverywhere(await claimsJWT({ aud }), SECRET, { ...at, audience: ['api', 'api2'] }, mismatch('aud'));
    }
  });
  test('absent while an audience is required → missing', async () => {
    await rejectsEverywhere(await claimsJWT({ sub: 'a' }), SECRET, { ...at, audience: 'api' }, missing('aud'));
  });
  test('any overlap → accepted', async () => {
    await acceptsEverywhere(await claimsJWT({ aud: ['x', 'api2'] }), SECRET, { ...at, audience: ['api', 'api2'] });
    await acceptsEverywhere(await claimsJWT({ aud: 'api' }), SECRET, { ...at, audience: 'api' });
  });
});

describe('jti (RFC 7519 §4.1.7) and requiredClaims', () => {
  test('jti not a string → invalid', async () => {
    await rejectsEverywhere(await claimsJWT({ jti: 12345 }), SECRET, at, invalid('jti'));
  });
  test('a required claim absent → missing, naming that claim', async () => {
    const token = await claimsJWT({ sub: 'a', scope: 'read' });
    await rejectsEverywhere(token, SECRET, { ...at, requiredClaims: ['sub', 'client_id'] }, missing('client_id'));
    await acceptsEverywhere(token, SECRET, { ...at, requiredClaims: ['sub', 'scope'] });
  });
  test('a required claim that is JSON null counts as present (its type is the caller\'s check)', async () => {
    await acceptsEverywhere(await claimsJWT({ cnf: null }), SECRET, { ...at, requiredClaims: ['cnf'] });
  });
});

describe('the claims set is a strict JSON object (RFC 7519 §7.2 steps 9–10)', () => {
  for (const [what, payload] of [
    ['an array', '[1,2]'],
    ['a string', '"claims"'],
    ['a number', '12'],
    ['null', 'null'],
    ['not JSON', '{"sub":'],
    ['empty', ''],
    ['a lone surrogate escape', '{"sub":"\\ud800"}'],
  ] as const) {
    test(`a payload that is ${what} → ERR_JWT_INVALID`, async () => {
      await rejectsEverywhere(await rawJWT(payload), SECRET, at, { code: 'ERR_JWT_INVALID' });
    });
  }
  test('invalid UTF-8 in the payload → ERR_JWT_INVALID', async () => {
    const token = await signJWS(new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), SECRET, { alg: 'HS256' });
    await rejectsEverywhere(token, SECRET, at, { code: 'ERR_JWT_INVALID' });
  });
  test('duplicate claim names → ERR_JSON_DUPLICATE_MEMBER (also spelled with an escape)', async () => {
    await rejectsEverywhere(await rawJWT(`{"exp":${NOW - 10},"exp":${NOW + 10}}`), SECRET, at, { code: 'ERR_JSON_DUPLICATE_MEMBER' });
    await rejectsEverywhere(await rawJWT(`{"exp":${NOW - 10},"\\u0065xp":${NOW + 10}}`), SECRET, at, { code: 'ERR_JSON_DUPLICATE_MEMBER' });
    await rejectsEverywhere(await rawJWT('{"cnf":{"jkt":"a","jkt":"b"}}'), SECRET, at, { code: 'ERR_JSON_DUPLICATE_MEMBER' });
  });
  test('an unencoded (b64: false) payload is not a JWT → ERR_JWT_INVALID', async () => {
    const token = await signJWS('{"sub":"a"}', SECRET, { alg: 'HS256', b64: false });
    await rejectsEverywhere(token, SECRET, at, { code: 'ERR_JWT_INVALID' });
  });
});

describe('signature first, claims after', () => {
  test('a forged token with expired and malformed claims reports the signature, not the claims', async () => {
    for (const payload of [`{"exp":${NOW - 100}}`, '{"iss":["a"]}', '[1]', '{"a":1,"a":2}']) {
      const token = await rawJWT(payload, {}, new Uint8Array(32).fill(7));
      await rejectsEverywhere(token, SECRET, { ...at, issuer: 'a' }, { code: 'ERR_JWS_SIGNATURE_INVALID' });
    }
  });
  test('an alg outside the allow-list fails before any claim is read', async () => {
    const token = await rawJWT(`{"exp":${NOW - 100}}`);
    await rejectsEverywhere(token, SECRET, { ...at, algorithms: ['HS512'] }, { code: 'ERR_ALG_NOT_ALLOWED' });
  });
});

describe('options are checked', () => {
  const bad: Array<[string, Record<string, unknown>]> = [
    ['issuer as a RegExp (THREATS.md §20)', { issuer: /issuer/ }],
    ['issuer as a function', { issuer: () => true }],
    ['issuer as an empty list', { issuer: [] }],
    ['audience with a non-string', { audience: ['api', 1] }],
    ['subject as a number', { subject: 1 }],
    ['clockTolerance as words', { clockTolerance: '5 minutes' }],
    ['clockTolerance negative', { clockTolerance: -1 }],
    ['maxTokenAge NaN', { maxTokenAge: Number.NaN }],
    ['requiredClaims as a string', { requiredClaims: 'sub' }],
    ['currentDate invalid', { currentDate: new Date('nope') }],
    ['currentDate as a number', { currentDate: NOW }],
    ['typ empty', { typ: '' }],
    ['a detached payload', { payload: '{"sub":"a"}' }],
  ];
  for (const [what, options] of bad) {
    test(`${what} → ERR_INVALID_ARGUMENT`, async () => {
      await rejectsEverywhere(await claimsJWT({ sub: 'a' }), SECRET, options, { code: 'ERR_INVALID_ARGUMENT' });
    });
  }
  test('the result is the verified claims, header and key', async () => {
    const token = await claimsJWT({ sub: 'ada', iss: 'i', aud: 'api', exp: NOW + 60 }, { typ: 'JWT', kid: 'k1' });
    const r = await verifyJWT(token, SECRET, { ...at, issuer: 'i', audience: 'api', subject: 'ada' });
    assert.deepEqual(r.payload, { sub: 'ada', iss: 'i', aud: 'api', exp: NOW + 60 });
    assert.deepEqual({ ...r.protectedHeader }, { alg: 'HS256', typ: 'JWT', kid: 'k1' });
    assert.equal(r.key.family, 'oct');
  });
});
