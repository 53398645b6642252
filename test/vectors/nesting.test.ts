/**
 * RFC 7520 §6: a JWS (PS256) nested in a JWE (RSA-OAEP + A128GCM, `cty: "JWT"`). The outer JWE is
 * decrypted in all three serializations and its content re-produced byte for byte from the
 * vector's CEK and IV; the inner JWS is then verified with verifyJWS. PS256 signatures and RSA-OAEP
 * encrypted keys are randomized, so those two are verified (or decrypted) only.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { platform } from '#platform';
import { resolveContentEncryption, resolveKeyManagement } from '../../src/jwa/jwe-registry.ts';
import type { JWK } from '../../src/jwa/types.ts';
import { importKey } from '../../src/jwk/import.ts';
import { withFixedRandomness } from '../../src/jwe/_seam.ts';
import { decryptJWE, decryptJWESync, encryptJWE } from '../../src/jwe/compact.ts';
import { decryptFlattenedJWE } from '../../src/jwe/flattened.ts';
import { decryptGeneralJWE } from '../../src/jwe/general.ts';
import { signJWS, verifyJWS } from '../../src/jws/compact.ts';
import { b64u, contentAAD, fromCookbook, joseHeader, loadCookbookFile, unb64u } from '../helpers/jwe-vectors.ts';
import { loadVector, publicJWK, type CookbookJWS } from '../helpers/vectors.ts';

const FILE = 'rfc7520/6.nesting_signatures_and_encryption.json';
const nesting = loadVector<{ sign: CookbookJWS; encrypt: unknown }>(FILE);
const jws = nesting.sign;
const jwe = fromCookbook((loadCookbookFile(FILE) as unknown as { encrypt: Parameters<typeof fromCookbook>[0] }).encrypt, { name: 'RFC 7520 §6 encrypt' });
const compact = jwe.compact as string;
const signer = jws.input.key;
const verifier = publicJWK(signer);
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** Decrypts a nested token, then verifies the JWS inside: the order RFC 7519 §7.2 prescribes. */
async function openNested(token: string): Promise<{ payload: string; cty: unknown; header: Record<string, unknown> }> {
  const outer = await decryptJWE(token, jwe.key, { algorithms: ['RSA-OAEP'], encryptions: ['A128GCM'] });
  const inner = await verifyJWS(text(outer.plaintext), verifier, { algorithms: ['PS256'] });
  return { payload: text(inner.payload), cty: outer.protectedHeader.cty, header: { ...inner.protectedHeader } };
}

describe('RFC 7520 §6: nesting signatures and encryption', () => {
  test('the vector: the JWE plaintext is the JWS compact output, cty JWT', () => {
    assert.equal(text(jwe.plaintext), jws.output.compact);
    assert.deepEqual(jwe.protectedHeader, { alg: 'RSA-OAEP', cty: 'JWT', enc: 'A128GCM' });
    assert.equal(compact.split('.')[0], jwe.protectedB64u);
  });

  test('the keys: a 4096-bit RSA encryption key, a 2048-bit RSA signing key', async () => {
    assert.equal((await importKey(publicJWK(jwe.key as JWK))).bits, 4096);
    assert.equal((await importKey(verifier)).bits, 2048);
  });

  test('decrypt the JWE, then verify the inner PS256 JWS with verifyJWS', async () => {
    const r = await openNested(compact);
    assert.equal(r.cty, 'JWT');
    assert.equal(r.payload, jws.input.payload);
    assert.deepEqual(r.header, jws.signing.protected);
  });

  test('the same through the flattened and the general JSON serializations', async () => {
    const options = { algorithms: ['RSA-OAEP'] };
    const flat = await decryptFlattenedJWE(jwe.flattened, jwe.key, options);
    const general = await decryptGeneralJWE(jwe.general, jwe.key, options);
    for (const r of [flat, general]) {
      const inner = await verifyJWS(text(r.plaintext), verifier, { algorithms: ['PS256'] });
      assert.equal(text(inner.payload), jws.input.payload);
    }
    assert.equal(general.recipientIndex, 0);
  });

  test('decryptJWESync: same plaintext on node, ERR_SYNC_UNSUPPORTED on web', () => {
    if (platform.syncSupported) assert.equal(text(decryptJWESync(compact, jwe.key, { algorithms: ['RSA-OAEP'] }).plaintext), jws.output.compact);
    else assert.throws(() => decryptJWESync(compact, jwe.key, { algorithms: ['RSA-OAEP'] }), { code: 'ERR_SYNC_UNSUPPORTED' });
  });

  test('the RSA-OAEP encrypted key decrypts to the CEK; the content is re-produced byte for byte', async () => {
    const km = resolveKeyManagement(jwe.alg);
    const ce = resolveContentEncryption(jwe.enc);
    assert.equal(b64u(await km.unwrap(await importKey(jwe.key), ce, unb64u(jwe.encryptedKey), joseHeader(jwe), { maxPBES2Count: 10_000 })), b64u(jwe.cek));
    const out = await ce.encrypt(jwe.cek, unb64u(jwe.iv), jwe.plaintext, contentAAD(jwe));
    assert.equal(b64u(out.ciphertext), jwe.ciphertext);
    assert.equal(b64u(out.tag), jwe.tag);
  });

  test('encryptJWE with the CEK and IV fixed re-produces every part but the (random) encrypted key', async () => {
    const token = await withFixedRandomness({ cek: jwe.cek, iv: unb64u(jwe.iv), headerOrder: ['alg', 'cty', 'enc'] }, () =>
      encryptJWE(jws.output.compact as string, jwe.encryptKey, { alg: 'RSA-OAEP', enc: 'A128GCM', protectedHeader: { cty: 'JWT' } }),
    );
    const [h, k, iv, c, t] = token.split('.');
    const [wh, wk, wiv, wc, wt] = compact.split('.');
    assert.deepEqual([h, iv, c, t], [wh, wiv, wc, wt]);
    assert.notEqual(k, wk);
    assert.deepEqual(await openNested(token), await openNested(compact));
  });

  test('a fresh nested token (new PS256 signature, new CEK) opens to the same payload', async () => {
    const inner = await signJWS(jws.input.payload, signer, { alg: 'PS256', protectedHeader: { typ: 'JWT' } });
    assert.notEqual(inner, jws.output.compact);
    const token = await encryptJWE(inner, jwe.encryptKey, { alg: 'RSA-OAEP', enc: 'A128GCM', protectedHeader: { cty: 'JWT' } });
    const r = await openNested(token);
    assert.equal(r.payload, jws.input.payload);
  });

  test('a valid JWE around a JWS with a tampered signature: decryption succeeds, verification fails', async () => {
    const [h, p, s] = (jws.output.compact as string).split('.') as [string, string, string];
    const sig = unb64u(s);
    sig[10] = (sig[10] as number) ^ 1;
    const token = await encryptJWE(`${h}.${p}.${b64u(sig)}`, jwe.encryptKey, { alg: 'RSA-OAEP', enc: 'A128GCM', protectedHeader: { cty: 'JWT' } });
    await assert.rejects(openNested(token), { code: 'ERR_JWS_SIGNATURE_INVALID' });
  });

  test('the inner JWS is not accepted as a JWE, nor the JWE as a JWS', async () => {
    await assert.rejects(decryptJWE(jws.output.compact as string, jwe.key, { algorithms: ['RSA-OAEP'] }), { code: 'ERR_JWE_INVALID' });
    await assert.rejects(verifyJWS(compact, verifier, { algorithms: ['PS256'] }), { code: 'ERR_JWS_INVALID' });
  });
});
