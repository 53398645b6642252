/**
 * JWS conformance vectors (compact serialization): RFC 7515 Appendix A, RFC 7520 §4.1–4.5,
 * RFC 7797 §4, RFC 8037 A.4/A.5. Sources: test/vectors/data/README.md.
 *
 * Deterministic signatures (HMAC, RSASSA-PKCS1-v1_5, Ed25519) are re-produced byte for byte over the
 * vector's exact signing input (the vector's protected header bytes, not a re-serialization), through
 * the registry and the platform seam that signJWS itself uses. Randomized ones (PSS, ECDSA) are
 * verified only. Every vector's compact output is also verified with the public verifyJWS.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { platform } from '#platform';
import { encodeBase64URL } from '../../src/core/base64url.ts';
import { resolveJWSAlgorithm, assertKeyForJWS } from '../../src/jwa/registry.ts';
import type { JWK } from '../../src/jwa/types.ts';
import { importJWK } from '../../src/jwk/import.ts';
import { createLocalJWKSet } from '../../src/jwk/jwks.ts';
import { signJWS, signJWSSync, verifyJWS, verifyJWSSync } from '../../src/jws/compact.ts';
import type { VerifyOptions } from '../../src/jws/types.ts';
import { loadVector, publicJWK, utf8, type AppendixJWS, type CookbookJWS } from '../helpers/vectors.ts';

/** One compact JWS example, normalised from either vector schema. */
interface Case {
  readonly name: string;
  readonly alg: string;
  /** The signing key (private or secret). */
  readonly key: JWK;
  readonly protectedB64u: string;
  readonly protectedHeader: Record<string, unknown>;
  readonly payload: Uint8Array;
  /** The exact JWS Signing Input (RFC 7515 §5.1 step 5, RFC 7797 §3). */
  readonly signingInput: Uint8Array;
  readonly signature: string;
  readonly compact: string;
  readonly deterministic: boolean;
  /** Detached payload (RFC 7515 Appendix F) to pass to verify. */
  readonly detached?: string;
  /** Extra signJWS options when the public API can re-produce the whole token. */
  readonly publicAPI?: { readonly detached?: boolean; readonly b64?: false };
}

function fromAppendix(file: string, deterministic: boolean, publicAPI?: Case['publicAPI']): Case {
  const v = loadVector<AppendixJWS>(`rfc-appendix/${file}`);
  assert.equal(v.deterministic, deterministic, `${file}: determinism as documented`);
  return {
    name: v.source,
    alg: v.alg,
    key: v.jwk as JWK,
    protectedB64u: v.protected_b64u,
    protectedHeader: JSON.parse(v.protected_header_utf8) as Record<string, unknown>,
    payload: utf8(v.payload_utf8),
    signingInput: utf8(`${v.protected_b64u}.${v.payload_b64u}`),
    signature: v.signature_b64u,
    compact: v.compact,
    deterministic,
    ...(publicAPI ? { publicAPI } : {}),
  };
}

function fromCookbook(file: string, deterministic: boolean, detached = false): Case {
  const v = loadVector<CookbookJWS>(`rfc7520/jws/${file}`);
  return {
    name: `RFC 7520 ${file.slice(0, 3).replace('_', '.')} ${v.title}`,
    alg: v.input.alg,
    key: v.input.key,
    protectedB64u: v.signing.protected_b64u,
    protectedHeader: v.signing.protected,
    payload: utf8(v.input.payload),
    signingInput: utf8(v.signing['sig-input']),
    signature: v.signing.sig,
    compact: v.output.compact as string,
    deterministic,
    ...(detached ? { detached: v.input.payload, publicAPI: { detached: true } } : { publicAPI: {} }),
  };
}

const rfc7797 = loadVector<{
  jwk: JWK;
  payload_utf8: string;
  deterministic: boolean;
  '4.1': { protected_header_utf8: string; protected_b64u: string; payload_b64u: string; signing_input: string; signature_b64u: string; compact: string };
  '4.2': { protected_header_utf8: string; protected_b64u: string; signing_input: string; signature_b64u: string; compact_detached: string };
}>('rfc-appendix/rfc7797_4.json');

const ed25519 = loadVector<AppendixJWS & { private_jwk: JWK; signing_input: string }>('rfc-appendix/rfc8037_A.1-A.5_ed25519.json');
const cfrg = loadVector<CookbookJWS>('rfc7520/curve25519/jws.json');

const CASES: Case[] = [
  // RFC 7515 A.1's header has a CRLF and a space: only the vector's own bytes can re-produce it.
  fromAppendix('rfc7515_A.1.json', true),
  fromAppendix('rfc7515_A.2.json', true, {}),
  fromAppendix('rfc7515_A.3.json', false),
  fromAppendix('rfc7515_A.4.json', false),
  fromCookbook('4_1.rsa_v15_signature.json', true),
  fromCookbook('4_2.rsa-pss_signature.json', false),
  fromCookbook('4_3.ecdsa_signature.json', false),
  fromCookbook('4_4.hmac-sha2_integrity_protection.json', true),
  fromCookbook('4_5.signature_with_detached_content.json', true, true),
  {
    name: 'RFC 7797 §4.1 (b64 true)',
    alg: 'HS256',
    key: rfc7797.jwk,
    protectedB64u: rfc7797['4.1'].protected_b64u,
    protectedHeader: JSON.parse(rfc7797['4.1'].protected_header_utf8) as Record<string, unknown>,
    payload: utf8(rfc7797.payload_utf8),
    signingInput: utf8(rfc7797['4.1'].signing_input),
    signature: rfc7797['4.1'].signature_b64u,
    compact: rfc7797['4.1'].compact,
    deterministic: true,
    publicAPI: {},
  },
  {
    // RFC 7797 §5.2: the payload contains '.', so the compact form must be detached.
    name: 'RFC 7797 §4.2 (b64 false, crit, detached)',
    alg: 'HS256',
    key: rfc7797.jwk,
    protectedB64u: rfc7797['4.2'].protected_b64u,
    protectedHeader: JSON.parse(rfc7797['4.2'].protected_header_utf8) as Record<string, unknown>,
    payload: utf8(rfc7797.payload_utf8),
    signingInput: utf8(rfc7797['4.2'].signing_input),
    signature: rfc7797['4.2'].signature_b64u,
    compact: rfc7797['4.2'].compact_detached,
    deterministic: true,
    detached: rfc7797.payload_utf8,
    publicAPI: { detached: true, b64: false },
  },
  {
    name: 'RFC 8037 A.4/A.5 (Ed25519)',
    alg: ed25519.alg,
    key: ed25519.private_jwk,
    protectedB64u: ed25519.protected_b64u,
    protectedHeader: JSON.parse(ed25519.protected_header_utf8) as Record<string, unknown>,
    payload: utf8(ed25519.payload_utf8),
    signingInput: utf8(ed25519.signing_input),
    signature: ed25519.signature_b64u,
    compact: ed25519.compact,
    deterministic: true,
    publicAPI: {},
  },
  {
    name: 'RFC 7520 cookbook curve25519/jws (Ed25519)',
    alg: cfrg.input.alg,
    key: cfrg.input.key,
    protectedB64u: cfrg.signing.protected_b64u,
    protectedHeader: cfrg.signing.protected,
    payload: utf8(cfrg.input.payload),
    signingInput: utf8(cfrg.signing['sig-input']),
    signature: cfrg.signing.sig,
    compact: cfrg.output.compact as string,
    deterministic: true,
    publicAPI: {},
  },
];

/** The key a verifier holds: the public part, or the secret itself. */
function verifyingJWK(c: Case): JWK {
  return c.key.kty === 'oct' ? c.key : publicJWK(c.key);
}

function detachedOption(c: Case): VerifyOptions {
  return c.detached !== undefined ? { payload: c.detached } : {};
}

function verifyOptions(c: Case, extra: VerifyOptions = {}): VerifyOptions {
  return { algorithms: [c.alg], ...detachedOption(c), ...extra };
}

/** Signs the vector's exact signing input through the registry and the platform seam. */
async function signatureOverVector(c: Case): Promise<string> {
  const key = await importJWK(c.key);
  const alg = resolveJWSAlgorithm(c.alg);
  assertKeyForJWS(alg, key, 'sign');
  return encodeBase64URL(await platform.sign(alg.scheme(key), key.imported, c.signingInput));
}

/** Flips one bit in the middle of a base64url segment, keeping it canonical. */
function tamper(segment: string): string {
  const i = Math.floor(segment.length / 2);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const c = alphabet.indexOf(segment[i] as string);
  return segment.slice(0, i) + alphabet[c ^ 1] + segment.slice(i + 1);
}

for (const c of CASES) {
  describe(c.name, () => {
    test('the vector is self-consistent: compact = protected . payload . signature', () => {
      const [h, p, s] = c.compact.split('.');
      assert.equal(h, c.protectedB64u);
      assert.equal(s, c.signature);
      if (c.detached !== undefined) assert.equal(p, '');
      else assert.equal(p, encodeBase64URL(c.payload));
    });

    if (c.deterministic) {
      test('signature re-produced byte for byte over the exact signing input', async () => {
        assert.equal(await signatureOverVector(c), c.signature);
      });
    } else {
      test('signature is randomized: a fresh one differs but verifies', async () => {
        const fresh = await signatureOverVector(c);
        assert.notEqual(fresh, c.signature);
        const token = `${c.protectedB64u}.${encodeBase64URL(c.payload)}.${fresh}`;
        const { payload } = await verifyJWS(token, verifyingJWK(c), verifyOptions(c));
        assert.deepEqual(new Uint8Array(payload), c.payload);
      });
    }

    test('verifyJWS accepts the vector with the public key', async () => {
      const result = await verifyJWS(c.compact, verifyingJWK(c), verifyOptions(c));
      assert.deepEqual(new Uint8Array(result.payload), c.payload);
      assert.deepEqual({ ...result.protectedHeader }, c.protectedHeader);
      assert.equal(result.key.family, c.key.kty);
    });

    test('verifyJWS derives the allow-list from the key when none is given', async () => {
      const { payload } = await verifyJWS(c.compact, verifyingJWK(c), detachedOption(c));
      assert.deepEqual(new Uint8Array(payload), c.payload);
    });

    test('verifyJWSSync: same result on node, ERR_SYNC_UNSUPPORTED on web', async () => {
      if (platform.syncSupported) {
        const { payload } = verifyJWSSync(c.compact, verifyingJWK(c), verifyOptions(c));
        assert.deepEqual(new Uint8Array(payload), c.payload);
      } else {
        assert.equal(platform.name, 'web');
        assert.throws(() => verifyJWSSync(c.compact, verifyingJWK(c), verifyOptions(c)), { code: 'ERR_SYNC_UNSUPPORTED' });
      }
    });

    test('a tampered signature is rejected', async () => {
      const [h, p, s] = c.compact.split('.') as [string, string, string];
      await assert.rejects(verifyJWS(`${h}.${p}.${tamper(s)}`, verifyingJWK(c), verifyOptions(c)), {
        code: 'ERR_JWS_SIGNATURE_INVALID',
      });
    });

    test('a tampered payload is rejected', async () => {
      const [h, p, s] = c.compact.split('.') as [string, string, string];
      if (c.detached !== undefined) {
        const options = verifyOptions(c, { payload: `${c.detached}x` });
        await assert.rejects(verifyJWS(c.compact, verifyingJWK(c), options), { code: 'ERR_JWS_SIGNATURE_INVALID' });
      } else {
        await assert.rejects(verifyJWS(`${h}.${tamper(p)}.${s}`, verifyingJWK(c), verifyOptions(c)), {
          code: 'ERR_JWS_SIGNATURE_INVALID',
        });
      }
    });

    if (c.deterministic && c.publicAPI !== undefined) {
      const api = c.publicAPI;
      test('signJWS re-produces the whole compact token', async () => {
        const extra = Object.entries(c.protectedHeader).filter(([k]) => !['alg', 'b64', 'crit'].includes(k));
        const options = {
          alg: c.alg,
          protectedHeader: Object.fromEntries(extra),
          ...(api.detached ? { detached: true } : {}),
          ...(api.b64 === false ? { b64: false as const } : {}),
        };
        assert.equal(await signJWS(c.payload, c.key, options), c.compact);
        if (platform.syncSupported) assert.equal(signJWSSync(c.payload, c.key, options), c.compact);
      });
    }
  });
}

describe('RFC 7515 A.5: unsecured JWS', () => {
  const a5 = loadVector<AppendixJWS>('rfc-appendix/rfc7515_A.5.json');
  const hmacKey = loadVector<AppendixJWS>('rfc-appendix/rfc7515_A.1.json').jwk as JWK;

  test('the vector is alg none with an empty signature', () => {
    assert.equal(a5.alg, 'none');
    assert.ok(a5.compact.endsWith('.'));
  });

  for (const [name, options] of [
    ['default options', {}],
    ['algorithms: [HS256]', { algorithms: ['HS256'] }],
    ['algorithms: [none]', { algorithms: ['none'] }],
  ] as const) {
    test(`verifyJWS rejects it with ERR_ALG_NONE (${name})`, async () => {
      await assert.rejects(verifyJWS(a5.compact, hmacKey, options), { code: 'ERR_ALG_NONE' });
    });
  }

  test('rejected with a key set and with a key resolver', async () => {
    const set = createLocalJWKSet({ keys: [hmacKey] }, { allowPrivate: true });
    await assert.rejects(verifyJWS(a5.compact, set), { code: 'ERR_ALG_NONE' });
    await assert.rejects(verifyJWS(a5.compact, () => hmacKey, { algorithms: ['none'] }), { code: 'ERR_ALG_NONE' });
  });

  test('verifyJWSSync rejects it too (ERR_SYNC_UNSUPPORTED on web)', () => {
    const code = platform.syncSupported ? 'ERR_ALG_NONE' : 'ERR_SYNC_UNSUPPORTED';
    assert.throws(() => verifyJWSSync(a5.compact, hmacKey, { algorithms: ['none'] }), { code });
  });

  test('signJWS refuses to produce it', async () => {
    await assert.rejects(signJWS(a5.payload_utf8, hmacKey, { alg: 'none' }), { code: 'ERR_ALG_NONE' });
  });
});

describe('RFC 7520 cookbook rfc7797/4.2: b64=false without crit', () => {
  const v = loadVector<CookbookJWS>('rfc7520/rfc7797/4.2.hmac-sha2_b64_false.json');
  // The signed header lacks "crit" even though the file's "protected" object shows one.
  const signedHeader = JSON.parse(Buffer.from(v.signing.protected_b64u, 'base64url').toString('utf8')) as Record<string, unknown>;

  test('the signed header has b64 false and no crit', () => {
    assert.deepEqual(signedHeader, { alg: 'HS256', b64: false });
  });

  test('its HMAC is genuine (re-produced), so only the header rule can reject it', async () => {
    const key = await importJWK(v.input.key);
    const alg = resolveJWSAlgorithm('HS256');
    const sig = await platform.sign(alg.scheme(key), key.imported, utf8(v.signing['sig-input']));
    assert.equal(encodeBase64URL(sig), v.signing.sig);
  });

  test('verifyJWS rejects it with ERR_CRIT_INVALID (RFC 7797 §6)', async () => {
    const detached = `${v.signing.protected_b64u}..${v.signing.sig}`;
    await assert.rejects(verifyJWS(detached, v.input.key, { algorithms: ['HS256'], payload: v.input.payload }), {
      code: 'ERR_CRIT_INVALID',
    });
  });
});

describe('vector RSA keys meet the 2048-bit minimum', () => {
  for (const [name, jwk] of [
    ['RFC 7515 A.2', loadVector<AppendixJWS>('rfc-appendix/rfc7515_A.2.json').jwk as JWK],
    ['RFC 7520 §4.1', loadVector<CookbookJWS>('rfc7520/jws/4_1.rsa_v15_signature.json').input.key],
    ['RFC 7520 §4.2', loadVector<CookbookJWS>('rfc7520/jws/4_2.rsa-pss_signature.json').input.key],
  ] as const) {
    test(`${name} is 2048 bits`, async () => {
      assert.equal((await importJWK(publicJWK(jwk))).bits, 2048);
    });
  }
});
