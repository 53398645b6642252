/**
 * JWE conformance vectors: RFC 7516 Appendix A (A.1–A.5), RFC 7520 §5.1–5.13, the cookbook's X25519
 * ECDH-ES example, and the key agreements of RFC 7518 Appendix C and RFC 8037 A.6/A.7.
 * Sources and upstream defects: test/vectors/data/README.md. RFC 7520 §6 (nesting): nesting.test.ts.
 *
 * Every vector is decrypted through the public API, in every serialization it has. Every
 * deterministic one is re-produced byte for byte:
 * - the content (ciphertext and tag) over the vector's exact AAD, with the `ContentEncryption`
 *   descriptor the registry resolves, from the vector's CEK and IV;
 * - the encrypted key and header parameters with the `KeyManagement` descriptor, given the
 *   vector's ephemeral key, PBES2 salt and count, and GCM key-wrap IV;
 * - the whole token through the public encrypt functions, with the test-only seam
 *   (src/jwe/_seam.ts) injecting the same values and the vector's header member order.
 * RSA-OAEP encrypted keys are randomized (decrypted and compared with the CEK instead); RSA1_5 is
 * refused with ERR_ALG_UNSUPPORTED, though its content is still re-produced from the published CEK.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { platform } from '#platform';
import type { ContentEncryption, KeyManagement } from '../../src/jwa/jwe-algorithm.ts';
import { assertKeyForJWE, resolveContentEncryption, resolveKeyManagement } from '../../src/jwa/jwe-registry.ts';
import type { JWK } from '../../src/jwa/types.ts';
import { importKey, importKeySync } from '../../src/jwk/import.ts';
import { withFixedRandomness, type FixedRandomness } from '../../src/jwe/_seam.ts';
import { decryptJWE, decryptJWESync, encryptJWE, encryptJWESync } from '../../src/jwe/compact.ts';
import { decryptFlattenedJWE, decryptFlattenedJWESync, encryptFlattenedJWE, encryptFlattenedJWESync } from '../../src/jwe/flattened.ts';
import { decryptGeneralJWE, decryptGeneralJWESync, encryptGeneralJWE } from '../../src/jwe/general.ts';
import type { DecryptOptions, JWEHeader } from '../../src/jwe/types.ts';
import {
  b64u,
  callerMembers,
  concatKDF,
  contentAAD,
  fromAppendix,
  fromCookbook,
  hex,
  joseHeader,
  keyManagementMembers,
  loadCookbookFile,
  unb64u,
  type JWEVector,
} from '../helpers/jwe-vectors.ts';
import { loadVector, publicJWK, utf8 } from '../helpers/vectors.ts';

const UNWRAP_LIMITS = { maxPBES2Count: 10_000 };
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

// ---------------------------------------------------------------------------------------------
// The vectors

const cookbook = (file: string, overrides?: Parameters<typeof fromCookbook>[1]): JWEVector =>
  fromCookbook(loadCookbookFile(`rfc7520/jwe/${file}`), { name: `RFC 7520 ${file.slice(0, file.indexOf('.')).replace('_', '.')}`, ...overrides });

/** RFC 7516 A.4/A.5: the general JWE (RSA1_5 and A128KW recipients) and its flattened A128KW form. */
const a45 = loadVector<{
  enc: string;
  plaintext_utf8: string;
  cek_b64u: string;
  keys: Record<'7' | '2011-04-29', JWK>;
  general_json: { protected: string; unprotected: JWEHeader; recipients: { header: JWEHeader; encrypted_key: string }[]; iv: string; ciphertext: string; tag: string };
  flattened_json: Record<string, unknown>;
}>('rfc-appendix/rfc7516_A.4_A.5.json');

/** One recipient of a general JWE as a flattened JWE (RFC 7516 §7.2.2): what that recipient alone receives. */
function flattenedFor(general: Record<string, unknown>, index: number): Record<string, unknown> {
  const { recipients, ...shared } = general as { recipients: Record<string, unknown>[] };
  return { ...shared, ...recipients[index] };
}

function fromA45(index: 0 | 1): JWEVector {
  const g = a45.general_json;
  const r = g.recipients[index] as { header: JWEHeader; encrypted_key: string };
  const key = a45.keys[r.header.kid as '7' | '2011-04-29'];
  const plaintext = utf8(a45.plaintext_utf8);
  return {
    name: `RFC 7516 A.4/A.5 recipient ${index} (${r.header.alg})`,
    alg: r.header.alg as string,
    enc: a45.enc,
    key,
    encryptKey: key.kty === 'oct' ? key : publicJWK(key),
    plaintext,
    encrypted: plaintext,
    zip: false,
    protectedB64u: g.protected,
    protectedHeader: JSON.parse(text(unb64u(g.protected))) as JWEHeader,
    sharedUnprotectedHeader: g.unprotected,
    recipientHeader: r.header,
    aadB64u: undefined,
    cek: unb64u(a45.cek_b64u),
    iv: g.iv,
    ciphertext: g.ciphertext,
    tag: g.tag,
    encryptedKey: r.encrypted_key,
    ephemeralKey: undefined,
    p2s: undefined,
    p2c: undefined,
    kwIV: undefined,
    compact: undefined,
    // A.5 is the A128KW recipient's flattened form; the RSA1_5 recipient alone is built the same way.
    flattened: index === 1 ? a45.flattened_json : flattenedFor(g, 0),
    general: g,
    keyManagement: index === 0 ? 'unsupported' : 'exact',
    contentReproducible: true,
  };
}

const m13 = loadCookbookFile('rfc7520/jwe/5_13.encrypting_to_multiple_recipients.json');
const m13Recipient = (i: 0 | 1 | 2): JWEVector => {
  const v = fromCookbook(m13, { name: `RFC 7520 5.13 recipient ${i}`, recipient: i });
  return { ...v, flattened: flattenedFor(v.general as Record<string, unknown>, i) };
};

/** Which recipient of the vector's general JSON is the vector's own (5.13 and A.4 have several). */
const RECIPIENT_INDEX = new Map<JWEVector, number>();

const x25519File = loadCookbookFile('rfc7520/curve25519/ecdh-es.json');
const x25519Protected = x25519File.encrypting_content.protected as JWEHeader & { epk: JWK };
/**
 * The cookbook X25519 example, with the two upstream defects corrected (README): the ephemeral
 * key whose private part is `epk.d` is the protected header's, and the derived A128GCM key is 16 bytes.
 */
const x25519 = fromCookbook(x25519File, {
  name: 'cookbook curve25519/ecdh-es (X25519, corrected)',
  cek: unb64u('Ki_rbt1xmIK-KsT0ax0yDQ'),
  ephemeralKey: { ...x25519Protected.epk, d: (x25519File.encrypting_key as { epk: JWK }).epk.d as string },
});

const a45Recipients = [fromA45(0), fromA45(1)] as const;
const m13Recipients = [m13Recipient(0), m13Recipient(1), m13Recipient(2)] as const;
a45Recipients.forEach((v, i) => RECIPIENT_INDEX.set(v, i));
m13Recipients.forEach((v, i) => RECIPIENT_INDEX.set(v, i));

const VECTORS: readonly JWEVector[] = [
  fromAppendix('rfc-appendix/rfc7516_A.1.json'),
  fromAppendix('rfc-appendix/rfc7516_A.2.json'),
  fromAppendix('rfc-appendix/rfc7516_A.3.json'),
  ...a45Recipients,
  cookbook('5_1.key_encryption_using_rsa_v15_and_aes-hmac-sha2.json'),
  cookbook('5_2.key_encryption_using_rsa-oaep_with_aes-gcm.json'),
  cookbook('5_3.key_wrap_using_pbes2-aes-keywrap_with-aes-cbc-hmac-sha2.json'),
  cookbook('5_4.key_agreement_with_key_wrapping_using_ecdh-es_and_aes-keywrap_with_aes-gcm.json'),
  cookbook('5_5.key_agreement_using_ecdh-es_with_aes-cbc-hmac-sha2.json'),
  cookbook('5_6.direct_encryption_using_aes-gcm.json'),
  cookbook('5_7.key_wrap_using_aes-gcm_keywrap_with_aes-cbc-hmac-sha2.json'),
  cookbook('5_8.key_wrap_using_aes-keywrap_with_aes-gcm.json'),
  cookbook('5_9.compressed_content.json'),
  cookbook('5_10.including_additional_authentication_data.json'),
  cookbook('5_11.protecting_specific_header_fields.json'),
  cookbook('5_12.protecting_content_only.json'),
  ...m13Recipients,
  x25519,
];

// ---------------------------------------------------------------------------------------------
// Helpers

const isPBES2 = (v: JWEVector): boolean => v.alg.startsWith('PBES2');

/** Decryption options: the vector's algorithms pinned (PBES2 must always be named, THREATS.md §8). */
function pinned(v: JWEVector, extra: DecryptOptions = {}): DecryptOptions {
  return { algorithms: [v.alg], encryptions: [v.enc], ...extra };
}

/** The seam values that re-produce the vector's sender side, header member order included. */
function seamOf(v: JWEVector, km: KeyManagement): FixedRandomness {
  const determinesCEK = km.mode === 'direct' || km.mode === 'key-agreement';
  return {
    ...(determinesCEK ? {} : { cek: v.cek }),
    iv: unb64u(v.iv),
    ...(v.ephemeralKey !== undefined && { ephemeralKey: v.ephemeralKey }),
    ...(v.p2s !== undefined && { p2s: v.p2s }),
    ...(v.kwIV !== undefined && { kwIV: v.kwIV }),
    headerOrder: Object.keys(v.protectedHeader),
  };
}

/** Where the vector put its key-management parameters: RFC 7520 puts them in the protected header. */
function parameterPlace(v: JWEVector): 'protected' | 'header' {
  return Object.keys(keyManagementMembers(v.protectedHeader)).length > 0 ? 'protected' : 'header';
}

/** Options for the JSON encrypt functions that lay the headers out as the vector did. */
function jsonOptions(v: JWEVector) {
  const protectedHeader = { ...callerMembers(v.protectedHeader), ...pick(v.protectedHeader, ['alg', 'enc', 'zip']) };
  return {
    enc: v.enc,
    ...(Object.keys(protectedHeader).length > 0 && { protectedHeader }),
    ...(v.sharedUnprotectedHeader !== undefined && { sharedUnprotectedHeader: v.sharedUnprotectedHeader }),
    ...(v.aadB64u !== undefined && { aad: unb64u(v.aadB64u) }),
    ...(v.p2c !== undefined && { p2c: v.p2c }),
    keyManagementParameters: parameterPlace(v),
  };
}

function pick(header: JWEHeader, names: readonly string[]): JWEHeader {
  return Object.fromEntries(Object.entries(header).filter(([k]) => names.includes(k)));
}

/** The recipient's own header without what the key-management algorithm adds. */
function recipientGiven(v: JWEVector): JWEHeader | undefined {
  if (v.recipientHeader === undefined) return undefined;
  const given = Object.fromEntries(Object.entries(v.recipientHeader).filter(([k]) => !(k in keyManagementMembers(v.recipientHeader as JWEHeader))));
  return Object.keys(given).length > 0 ? given : undefined;
}

/** Flips one bit of a base64url value, keeping it canonical. */
function flip(value: string): string {
  const bytes = unb64u(value);
  const i = bytes.length >> 1;
  bytes[i] = (bytes[i] as number) ^ 0x01;
  return b64u(bytes);
}

function compactParts(token: string): [string, string, string, string, string] {
  return token.split('.') as [string, string, string, string, string];
}

async function descriptors(v: JWEVector): Promise<{ km: KeyManagement; ce: ContentEncryption }> {
  return { km: resolveKeyManagement(v.alg), ce: resolveContentEncryption(v.enc) };
}

// ---------------------------------------------------------------------------------------------
// Every vector

for (const v of VECTORS) {
  const recipientIndex = RECIPIENT_INDEX.get(v) ?? 0;
  const supported = v.keyManagement !== 'unsupported';

  describe(v.name, () => {
    if (v.compact !== undefined) {
      test('the compact form is protected . encrypted key . iv . ciphertext . tag', () => {
        assert.deepEqual(compactParts(v.compact as string), [v.protectedB64u, v.encryptedKey, v.iv, v.ciphertext, v.tag]);
      });
    }

    test('content encryption re-produced byte for byte over the exact AAD (registry descriptor)', async () => {
      const ce = resolveContentEncryption(v.enc);
      const out = await ce.encrypt(v.cek, unb64u(v.iv), v.encrypted, contentAAD(v));
      assert.equal(b64u(out.ciphertext), v.ciphertext);
      assert.equal(b64u(out.tag), v.tag);
      const back = await ce.decrypt(v.cek, unb64u(v.iv), unb64u(v.ciphertext), unb64u(v.tag), contentAAD(v));
      assert.deepEqual(new Uint8Array(back), v.encrypted);
      if (platform.syncSupported) {
        const sync = ce.encryptSync(v.cek, unb64u(v.iv), v.encrypted, contentAAD(v));
        assert.equal(b64u(sync.ciphertext), v.ciphertext);
        assert.equal(b64u(sync.tag), v.tag);
      }
    });

    if (v.zip) {
      test('the encrypted bytes are the raw DEFLATE of the plaintext (RFC 7516 §4.1.3)', async () => {
        assert.deepEqual(new Uint8Array(await platform.inflateRaw(v.encrypted, 250_000)), v.plaintext);
      });
    }

    if (!supported) {
      test('RSA1_5 is not supported: the registry refuses it with ERR_ALG_UNSUPPORTED', () => {
        assert.throws(() => resolveKeyManagement(v.alg), { code: 'ERR_ALG_UNSUPPORTED' });
      });

      test('decryption refuses it with ERR_ALG_UNSUPPORTED, even when explicitly allowed', async () => {
        const options = [pinned(v), {}, { algorithms: ['RSA1_5', 'RSA-OAEP'] }];
        for (const o of options) {
          if (v.compact !== undefined) await assert.rejects(decryptJWE(v.compact, v.key, o), { code: 'ERR_ALG_UNSUPPORTED' });
          if (v.flattened !== undefined) await assert.rejects(decryptFlattenedJWE(v.flattened, v.key, o), { code: 'ERR_ALG_UNSUPPORTED' });
          if (v.general !== undefined) {
            // The RSA1_5 recipient on its own (a general JWE addressed to it alone).
            const alone = { ...v.general, recipients: [(v.general.recipients as unknown[])[recipientIndex]] };
            await assert.rejects(decryptGeneralJWE(alone, v.key, o), { code: 'ERR_ALG_UNSUPPORTED' });
          }
        }
        if (platform.syncSupported && v.compact !== undefined) {
          assert.throws(() => decryptJWESync(v.compact as string, v.key, pinned(v)), { code: 'ERR_ALG_UNSUPPORTED' });
        }
      });

      test('encryption refuses it with ERR_ALG_UNSUPPORTED', async () => {
        await assert.rejects(encryptJWE(v.plaintext, v.encryptKey, { alg: v.alg, enc: v.enc }), { code: 'ERR_ALG_UNSUPPORTED' });
        await assert.rejects(encryptFlattenedJWE(v.plaintext, v.encryptKey, { alg: v.alg, enc: v.enc }), { code: 'ERR_ALG_UNSUPPORTED' });
      });
      return;
    }

    test('key management: the recipient recovers the CEK (registry descriptor)', async () => {
      const { km, ce } = await descriptors(v);
      const key = await importKey(v.key);
      assertKeyForJWE(km, key, 'decrypt');
      const cek = await km.unwrap(key, ce, unb64u(v.encryptedKey), joseHeader(v), UNWRAP_LIMITS);
      assert.equal(b64u(cek), b64u(v.cek));
      if (platform.syncSupported) {
        assert.equal(b64u(km.unwrapSync(importKeySync(v.key), ce, unb64u(v.encryptedKey), joseHeader(v), UNWRAP_LIMITS)), b64u(v.cek));
      }
    });

    if (v.keyManagement === 'exact') {
      test('key management re-produced byte for byte (encrypted key and header parameters)', async () => {
        const { km, ce } = await descriptors(v);
        const key = await importKey(v.encryptKey);
        assertKeyForJWE(km, key, 'encrypt');
        const s = seamOf(v, km);
        const input = { cek: s.cek, ephemeralKey: s.ephemeralKey, p2s: s.p2s, p2c: v.p2c, kwIV: s.kwIV };
        const out = await km.wrap(key, ce, input);
        assert.equal(b64u(out.encryptedKey), v.encryptedKey);
        assert.equal(b64u(out.cek), b64u(v.cek));
        assert.deepEqual({ ...out.parameters }, keyManagementMembers(joseHeader(v)));
        if (platform.syncSupported) {
          const sync = km.wrapSync(importKeySync(v.encryptKey), ce, input);
          assert.equal(b64u(sync.encryptedKey), v.encryptedKey);
        }
      });
    } else {
      test('key encryption is randomized (RSA-OAEP): a fresh encrypted key differs and decrypts to the CEK', async () => {
        const { km, ce } = await descriptors(v);
        const out = await km.wrap(await importKey(v.encryptKey), ce, { cek: v.cek });
        assert.notEqual(b64u(out.encryptedKey), v.encryptedKey);
        assert.equal(b64u(await km.unwrap(await importKey(v.key), ce, out.encryptedKey, joseHeader(v), UNWRAP_LIMITS)), b64u(v.cek));
      });
    }

    if (v.compact !== undefined) {
      const compact = v.compact;

      test('decryptJWE: plaintext and protected header', async () => {
        const r = await decryptJWE(compact, v.key, pinned(v));
        assert.deepEqual(new Uint8Array(r.plaintext), v.plaintext);
        assert.deepEqual({ ...r.protectedHeader }, v.protectedHeader);
        assert.equal(r.sharedUnprotectedHeader, undefined);
      });

      if (isPBES2(v)) {
        test('PBES2 is never derived from a key: without an explicit allow-list it is refused', async () => {
          await assert.rejects(decryptJWE(compact, v.key), { code: 'ERR_ALG_NOT_ALLOWED' });
        });

        test(`maxPBES2Count below the vector's p2c (${v.p2c}) refuses it with ERR_PBES2_COUNT; at p2c it decrypts`, async () => {
          const p2c = v.p2c as number;
          await assert.rejects(decryptJWE(compact, v.key, pinned(v, { maxPBES2Count: p2c - 1 })), { code: 'ERR_PBES2_COUNT' });
          const r = await decryptJWE(compact, v.key, pinned(v, { maxPBES2Count: p2c }));
          assert.deepEqual(new Uint8Array(r.plaintext), v.plaintext);
        });
      } else {
        test('decryptJWE with the allow-list derived from the key', async () => {
          const r = await decryptJWE(compact, v.key);
          assert.deepEqual(new Uint8Array(r.plaintext), v.plaintext);
        });
      }

      test('decryptJWESync: same result on node, ERR_SYNC_UNSUPPORTED on web', () => {
        if (platform.syncSupported) {
          assert.deepEqual(new Uint8Array(decryptJWESync(compact, v.key, pinned(v)).plaintext), v.plaintext);
        } else {
          assert.throws(() => decryptJWESync(compact, v.key, pinned(v)), { code: 'ERR_SYNC_UNSUPPORTED' });
        }
      });

      test('tampering with the ciphertext, tag, IV, encrypted key or protected header: ERR_JWE_DECRYPTION_FAILED', async () => {
        const [h, k, iv, c, t] = compactParts(compact);
        const tampered = [
          `${h}.${k}.${iv}.${flip(c)}.${t}`,
          `${h}.${k}.${iv}.${c}.${flip(t)}`,
          `${h}.${k}.${flip(iv)}.${c}.${t}`,
          // The protected header, still valid JSON with the same members: only the AAD differs.
          `${b64u(JSON.stringify({ ...v.protectedHeader, tessera: 1 }))}.${k}.${iv}.${c}.${t}`,
        ];
        // dir and ECDH-ES have no encrypted key to tamper with.
        if (k !== '') tampered.push(`${h}.${flip(k)}.${iv}.${c}.${t}`);
        for (const token of tampered) {
          await assert.rejects(decryptJWE(token, v.key, pinned(v)), { code: 'ERR_JWE_DECRYPTION_FAILED' }, token);
        }
      });

      const s = seamOf(v, resolveKeyManagement(v.alg));
      const options = {
        alg: v.alg,
        enc: v.enc,
        ...(Object.keys(callerMembers(v.protectedHeader)).length > 0 && { protectedHeader: callerMembers(v.protectedHeader) }),
        ...(v.zip && { zip: 'DEF' as const }),
        ...(v.p2c !== undefined && { p2c: v.p2c }),
      };
      if (v.keyManagement === 'exact' && v.contentReproducible) {
        test('encryptJWE re-produces the whole compact token byte for byte (test seam)', async () => {
          assert.equal(await withFixedRandomness(s, () => encryptJWE(v.plaintext, v.encryptKey, options)), compact);
          if (platform.syncSupported) assert.equal(withFixedRandomness(s, () => encryptJWESync(v.plaintext, v.encryptKey, options)), compact);
        });
      } else {
        // RSA-OAEP: a random encrypted key. DEFLATE (§5.9): the vector's compressor is not zlib.
        const same = v.keyManagement === 'exact' ? [0, 1, 2] : [0, 2, 3, 4];
        test(`encryptJWE re-produces parts ${same.join(', ')} of the compact token (test seam), and it decrypts`, async () => {
          const token = await withFixedRandomness(s, () => encryptJWE(v.plaintext, v.encryptKey, options));
          const got = compactParts(token);
          const want = compactParts(compact);
          for (const i of same) assert.equal(got[i], want[i], `part ${i}`);
          assert.deepEqual(new Uint8Array((await decryptJWE(token, v.key, pinned(v))).plaintext), v.plaintext);
        });
      }
    }

    if (v.flattened !== undefined) {
      const flattened = v.flattened;

      test('decryptFlattenedJWE: plaintext and headers', async () => {
        const r = await decryptFlattenedJWE(flattened, v.key, pinned(v));
        assert.deepEqual(new Uint8Array(r.plaintext), v.plaintext);
        assert.deepEqual({ ...r.protectedHeader }, v.protectedHeader);
        assert.deepEqual(r.sharedUnprotectedHeader, v.sharedUnprotectedHeader);
        assert.deepEqual(r.unprotectedHeader, v.recipientHeader);
        assert.deepEqual(r.additionalAuthenticatedData, v.aadB64u === undefined ? undefined : unb64u(v.aadB64u));
        if (platform.syncSupported) assert.deepEqual(new Uint8Array(decryptFlattenedJWESync(flattened, v.key, pinned(v)).plaintext), v.plaintext);
      });

      test('flattened: tampering with the ciphertext, tag or aad gives ERR_JWE_DECRYPTION_FAILED', async () => {
        const f = flattened as Record<string, string>;
        const tampered: Record<string, unknown>[] = [
          { ...flattened, ciphertext: flip(f.ciphertext as string) },
          { ...flattened, tag: flip(f.tag as string) },
        ];
        if (f.aad !== undefined) tampered.push({ ...flattened, aad: flip(f.aad) });
        // RFC 7516 §5.1 step 14: adding an aad changes the AAD.
        else tampered.push({ ...flattened, aad: b64u('tessera') });
        for (const jwe of tampered) await assert.rejects(decryptFlattenedJWE(jwe, v.key, pinned(v)), { code: 'ERR_JWE_DECRYPTION_FAILED' });
      });

      // Re-produce the vector's own flattened form (A.5, RFC 7520 §5.2–5.12; not a recipient cut out of a general JWE).
      const own = ((v.general?.recipients as unknown[] | undefined)?.length ?? 1) === 1 || v === a45Recipients[1];
      if (own) {
        test(`encryptFlattenedJWE re-produces the flattened JSON${v.keyManagement === 'exact' && v.contentReproducible ? ' byte for byte' : ' (but the random or zlib-specific parts)'} (test seam)`, async () => {
          const { km } = await descriptors(v);
          const options = { ...jsonOptions(v), alg: v.alg, ...(recipientGiven(v) !== undefined && { unprotectedHeader: recipientGiven(v) }) };
          const out = (await withFixedRandomness(seamOf(v, km), () => encryptFlattenedJWE(v.plaintext, v.encryptKey, options))) as unknown as Record<string, unknown>;
          const expected: Record<string, unknown> = { ...flattened };
          if (v.keyManagement !== 'exact') {
            assert.notEqual(out.encrypted_key, expected.encrypted_key);
            delete out.encrypted_key;
            delete expected.encrypted_key;
          }
          if (!v.contentReproducible) {
            for (const m of ['ciphertext', 'tag']) {
              delete out[m];
              delete expected[m];
            }
          }
          assert.deepEqual(out, expected);
          if (platform.syncSupported && v.keyManagement === 'exact' && v.contentReproducible) {
            assert.deepEqual(withFixedRandomness(seamOf(v, km), () => encryptFlattenedJWESync(v.plaintext, v.encryptKey, options)), flattened);
          }
        });
      }
    }

    if (v.general !== undefined && v.general.recipients === undefined) {
      // RFC 7520 §5.5 (ECDH-ES) and §5.6 (dir) print their general JSON without "recipients", which
      // RFC 7516 §7.2.1 makes REQUIRED (with one empty object for a recipient that has no member).
      const printed = v.general;
      test('the general JSON as printed lacks "recipients" (RFC 7516 §7.2.1: REQUIRED): ERR_JWE_INVALID', async () => {
        await assert.rejects(decryptGeneralJWE(printed, v.key, pinned(v)), { code: 'ERR_JWE_INVALID' });
      });
    }

    const general = v.general === undefined ? undefined : v.general.recipients === undefined ? { ...v.general, recipients: [{}] } : v.general;
    if (general !== undefined) {
      test(`decryptGeneralJWE: plaintext, recipient index ${recipientIndex}`, async () => {
        const r = await decryptGeneralJWE(general, v.key, pinned(v));
        assert.deepEqual(new Uint8Array(r.plaintext), v.plaintext);
        assert.equal(r.recipientIndex, recipientIndex);
        assert.deepEqual({ ...r.protectedHeader }, v.protectedHeader);
        assert.deepEqual(r.unprotectedHeader, v.recipientHeader);
        if (platform.syncSupported) assert.equal(decryptGeneralJWESync(general, v.key, pinned(v)).recipientIndex, recipientIndex);
      });

      if ((general.recipients as unknown[]).length === 1) {
        test('encryptGeneralJWE re-produces the general JSON (test seam)', async () => {
          const { km } = await descriptors(v);
          const given = recipientGiven(v);
          const recipient = { key: v.encryptKey, alg: v.alg, ...(given !== undefined && { header: given }), ...(v.p2c !== undefined && { p2c: v.p2c }) };
          const out = (await withFixedRandomness(seamOf(v, km), () => encryptGeneralJWE(v.plaintext, [recipient], jsonOptions(v)))) as unknown as Record<string, unknown>;
          const expected = structuredClone(general) as Record<string, unknown>;
          const strip = (o: Record<string, unknown>): void => {
            if (v.keyManagement !== 'exact') delete (o.recipients as Record<string, unknown>[])[0]?.encrypted_key;
            if (!v.contentReproducible) {
              delete o.ciphertext;
              delete o.tag;
            }
          };
          strip(out);
          strip(expected);
          assert.deepEqual(out, expected);
        });
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Several recipients

describe('RFC 7516 A.4: general JSON with an RSA1_5 and an A128KW recipient', () => {
  const [rsa, aes] = a45Recipients;

  test('with the AES key, decryptGeneralJWE skips the unsupported RSA1_5 recipient and decrypts with recipient 1', async () => {
    for (const options of [{}, { algorithms: ['A128KW'] }, { algorithms: ['RSA1_5', 'A128KW'] }]) {
      const r = await decryptGeneralJWE(aes.general, aes.key, options);
      assert.equal(r.recipientIndex, 1);
      assert.equal(text(r.plaintext), a45.plaintext_utf8);
      assert.deepEqual(r.sharedUnprotectedHeader, { jku: 'https://server.example.com/keys.jwks' });
      assert.deepEqual(r.unprotectedHeader, { alg: 'A128KW', kid: '7' });
    }
  });

  test('with the RSA key alone, nothing decrypts: RSA1_5 unsupported and A128KW not allowed for it (ERR_JWE_DECRYPTION_FAILED)', async () => {
    // The recipients fail for different reasons, so the generic code is reported (src/jwe/decrypt.ts).
    await assert.rejects(decryptGeneralJWE(rsa.general, rsa.key), { code: 'ERR_JWE_DECRYPTION_FAILED' });
  });

  test('encryptGeneralJWE re-produces the A128KW recipient, the ciphertext and the tag (test seam)', async () => {
    // The protected header is only {"enc"}: the content does not depend on the recipients.
    const seam = { cek: aes.cek, iv: unb64u(aes.iv), headerOrder: ['enc'] };
    const out = await withFixedRandomness(seam, () =>
      encryptGeneralJWE(aes.plaintext, [{ key: aes.encryptKey, alg: 'A128KW', header: { kid: '7' } }], {
        enc: aes.enc,
        sharedUnprotectedHeader: aes.sharedUnprotectedHeader as JWEHeader,
      }),
    );
    const g = a45.general_json;
    assert.deepEqual(out, { protected: g.protected, unprotected: g.unprotected, recipients: [g.recipients[1]], iv: g.iv, ciphertext: g.ciphertext, tag: g.tag });
  });
});

describe('RFC 7520 5.13: three recipients (RSA1_5, ECDH-ES+A256KW, A256GCMKW)', () => {
  const [rsa, ecdh, gcmkw] = m13Recipients;
  const general = m13.output.json as Record<string, unknown>;

  test('input.enc is misspelled upstream; the protected header says A128CBC-HS256', () => {
    assert.equal(m13.input.enc, 'A128CBC-H256');
    assert.equal(ecdh.enc, 'A128CBC-HS256');
  });

  test('the EC key decrypts with recipient 1, the oct key with recipient 2', async () => {
    assert.equal((await decryptGeneralJWE(general, ecdh.key)).recipientIndex, 1);
    assert.equal((await decryptGeneralJWE(general, gcmkw.key)).recipientIndex, 2);
  });

  test('a key set of all three keys decrypts (RSA1_5 skipped)', async () => {
    const { createLocalJWKSet } = await import('../../src/jwk/jwks.ts');
    const set = createLocalJWKSet({ keys: [rsa.key as JWK, ecdh.key as JWK, gcmkw.key as JWK] }, { allowPrivate: true });
    const r = await decryptGeneralJWE(general, set, { algorithms: ['RSA1_5', 'ECDH-ES+A256KW', 'A256GCMKW'] });
    assert.equal(r.recipientIndex, 1);
    assert.deepEqual(new Uint8Array(r.plaintext), ecdh.plaintext);
  });

  test('encryptGeneralJWE to the two supported recipients re-produces their entries, the ciphertext and the tag', async () => {
    // RFC 7520 §5.13 shares one CEK; the protected header is only {"enc"}, so the content does not
    // depend on the recipients and the vector's ciphertext must come out unchanged.
    const seam: FixedRandomness = {
      cek: ecdh.cek,
      iv: unb64u(ecdh.iv),
      ephemeralKey: ecdh.ephemeralKey as JWK,
      kwIV: gcmkw.kwIV as Uint8Array,
      headerOrder: ['enc'],
    };
    const out = await withFixedRandomness(seam, () =>
      encryptGeneralJWE(
        ecdh.plaintext,
        [
          { key: ecdh.encryptKey, alg: ecdh.alg, header: { kid: (ecdh.recipientHeader as JWEHeader).kid as string } },
          { key: gcmkw.encryptKey, alg: gcmkw.alg, header: { kid: (gcmkw.recipientHeader as JWEHeader).kid as string } },
        ],
        { enc: ecdh.enc, sharedUnprotectedHeader: { cty: 'text/plain' } },
      ),
    );
    const want = general as { protected: string; unprotected: JWEHeader; recipients: unknown[]; iv: string; ciphertext: string; tag: string };
    assert.deepEqual(out, { protected: want.protected, unprotected: want.unprotected, recipients: want.recipients.slice(1), iv: want.iv, ciphertext: want.ciphertext, tag: want.tag });
  });
});

// ---------------------------------------------------------------------------------------------
// ECDH-ES key agreement: RFC 7518 Appendix C, RFC 8037 A.6 (X25519) and A.7 (X448)

interface AgreementVector {
  readonly recipient_public_jwk: JWK;
  readonly ephemeral_secret_hex: string;
  readonly ephemeral_public_jwk: JWK;
  readonly Z_hex: string;
}

describe('RFC 7518 Appendix C: ECDH-ES P-256 with apu/apv', () => {
  const c = loadVector<{
    enc: string;
    ephemeral_key_alice: JWK;
    recipient_key_bob: JWK;
    protected_header: JWEHeader;
    apu_utf8: string;
    apv_utf8: string;
    Z_b64u: string;
    derived_key_b64u: string;
  }>('rfc-appendix/rfc7518_C.json');

  test('the test Concat KDF re-produces the RFC derived key from Z', () => {
    assert.equal(b64u(concatKDF(unb64u(c.Z_b64u), c.enc, 128, utf8(c.apu_utf8), utf8(c.apv_utf8))), c.derived_key_b64u);
  });

  test('the ECDH-ES descriptor derives the RFC key on both sides', async () => {
    const km = resolveKeyManagement('ECDH-ES');
    const ce = resolveContentEncryption(c.enc);
    const wrapped = await km.wrap(await importKey(publicJWK(c.recipient_key_bob)), ce, {
      ephemeralKey: c.ephemeral_key_alice,
      apu: utf8(c.apu_utf8),
      apv: utf8(c.apv_utf8),
    });
    assert.equal(b64u(wrapped.cek), c.derived_key_b64u);
    assert.equal(wrapped.encryptedKey.length, 0);
    assert.deepEqual({ ...wrapped.parameters }, keyManagementMembers(c.protected_header));
    const unwrapped = await km.unwrap(await importKey(c.recipient_key_bob), ce, new Uint8Array(0), c.protected_header, UNWRAP_LIMITS);
    assert.equal(b64u(unwrapped), c.derived_key_b64u);
  });

  test("encryptJWE with Alice's ephemeral key: the RFC header, content under the derived key, Bob decrypts", async () => {
    const plaintext = 'RFC 7518 Appendix C';
    const token = await withFixedRandomness({ ephemeralKey: c.ephemeral_key_alice, headerOrder: ['alg', 'enc', 'apu', 'apv', 'epk'] }, () =>
      encryptJWE(plaintext, publicJWK(c.recipient_key_bob), { alg: 'ECDH-ES', enc: c.enc, apu: utf8(c.apu_utf8), apv: utf8(c.apv_utf8) }),
    );
    const [h, k, iv, ct, tag] = compactParts(token);
    assert.deepEqual(JSON.parse(text(unb64u(h))), c.protected_header);
    assert.equal(k, '');
    const ce = resolveContentEncryption(c.enc);
    assert.equal(text(await ce.decrypt(unb64u(c.derived_key_b64u), unb64u(iv), unb64u(ct), unb64u(tag), utf8(h))), plaintext);
    assert.equal(text((await decryptJWE(token, c.recipient_key_bob)).plaintext), plaintext);
  });
});

/** RFC 8037 A.6/A.7 give only the key agreement; these build JWEs on it with the seam. */
for (const [file, crv, bits] of [
  ['rfc8037_A.6_x25519.json', 'X25519', 32],
  ['rfc8037_A.7_x448.json', 'X448', 56],
] as const) {
  describe(`RFC 8037 ${file.slice(8, 11)}: ECDH-ES over ${crv}`, () => {
    const a = loadVector<AgreementVector>(`rfc-appendix/${file}`);
    const ephemeralKey: JWK = { ...a.ephemeral_public_jwk, d: b64u(hex(a.ephemeral_secret_hex)) };
    const z = hex(a.Z_hex);
    const plaintext = `RFC 8037 ${crv} key agreement`;

    test('the vector is consistent: the ephemeral secret has the stated public key', async () => {
      assert.equal(unb64u(ephemeralKey.d as string).length, bits);
      const key = await importKey(ephemeralKey);
      assert.equal(key.toPublicJWK().x, a.ephemeral_public_jwk.x);
    });

    for (const [alg, enc] of [
      ['ECDH-ES', 'A128GCM'],
      ['ECDH-ES+A256KW', 'A256CBC-HS512'],
    ] as const) {
      test(`${alg} + ${enc}: the JWE carries the RFC ephemeral key, and its key comes from the RFC's Z`, async () => {
        const token = await withFixedRandomness({ ephemeralKey }, () => encryptJWE(plaintext, a.recipient_public_jwk, { alg, enc }));
        const [h, k, iv, ct, tag] = compactParts(token);
        const header = JSON.parse(text(unb64u(h))) as JWEHeader;
        assert.deepEqual(header.epk, a.ephemeral_public_jwk);
        assert.equal(header.kid, undefined);
        const ce = resolveContentEncryption(enc);
        // RFC 7518 §4.6.2: AlgorithmID is "enc" for direct agreement, "alg" with key wrapping.
        const direct = alg === 'ECDH-ES';
        const derived = concatKDF(z, direct ? enc : alg, direct ? ce.cekLength * 8 : 256);
        let cek = derived;
        if (!direct) {
          assert.notEqual(k, '');
          const kw = resolveKeyManagement('A256KW');
          cek = await kw.unwrap(await importKey(derived), ce, unb64u(k), { alg: 'A256KW', enc }, UNWRAP_LIMITS);
        } else {
          assert.equal(k, '');
        }
        assert.equal(text(await ce.decrypt(cek, unb64u(iv), unb64u(ct), unb64u(tag), utf8(h))), plaintext);
        if (crv === 'X25519') {
          // The cookbook's Bob (curve25519/ecdh-es.json) is RFC 8037 A.6's recipient, with his private key.
          const bob = x25519.key as JWK;
          assert.equal(bob.x, a.recipient_public_jwk.x);
          assert.equal(text((await decryptJWE(token, bob, { algorithms: [alg] })).plaintext), plaintext);
        }
      });
    }
  });
}

describe('cookbook curve25519/ecdh-es: the upstream defects are what the README says', () => {
  const upstream = (x25519File.encrypting_key as { epk: JWK; cek: string }).epk;

  test("encrypting_key.epk's x (RFC 8037 A.6's ephemeral key) does not belong to its d; the protected header's does", async () => {
    const fromD = (await importKey({ ...x25519Protected.epk, d: upstream.d as string })).toPublicJWK().x;
    assert.equal(fromD, x25519Protected.epk.x);
    assert.notEqual(fromD, upstream.x);
  });

  test('encrypting_key.cek is 32 bytes, not the 16 bytes of an A128GCM key', () => {
    assert.equal(unb64u((x25519File.encrypting_key as { cek: string }).cek).length, 32);
    assert.equal(resolveContentEncryption('A128GCM').cekLength, 16);
  });
});
