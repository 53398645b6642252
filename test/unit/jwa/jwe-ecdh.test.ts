/**
 * ECDH-ES (RFC 7518 §4.6, RFC 8037 §3.2) on the backend under test: the RFC 7518 Appendix C
 * derivation and the RFC 8037 A.6/A.7 shared secrets byte for byte, an independent Concat KDF
 * (node:crypto SHA-256), every curve, and the invalid-curve defences (THREATS.md §12).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { generateKeyPairSync } from '../../helpers/node-keygen.ts';
import { platform } from '#platform';
import { concatKDF, otherInfo } from '../../../src/jwa/_concat-kdf.ts';
import { JWE_ENCRYPTIONS, resolveContentEncryption, resolveKeyManagement } from '../../../src/jwa/jwe-registry.ts';
import type { ECDHCurve } from '../../../src/jwa/platform/types.ts';
import type { JWK } from '../../../src/jwa/types.ts';
import { importJWK } from '../../../src/jwk/import.ts';
import { loadVector } from '../../helpers/vectors.ts';
import { EMPTY, b64u, bothForms, fromB64u, hex, pair, rejectsBoth, toHex, unwrapWith, utf8, wrapWith, type PairKind } from './jwe-fixtures.ts';

const EPK_INVALID = 'ERR_JWE_EPK_INVALID';
const CURVES: readonly ECDHCurve[] = ['P-256', 'P-384', 'P-521', 'X25519', 'X448'];
const ECDH_ALGS = ['ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW'];

interface AppendixC {
  source: string;
  enc: string;
  ephemeral_key_alice: JWK;
  recipient_key_bob: JWK;
  protected_header: Record<string, unknown> & { epk: JWK; apu: string; apv: string };
  apu_utf8: string;
  apv_utf8: string;
  Z_b64u: string;
  derived_key_b64u: string;
}
interface RFC8037Agreement {
  source: string;
  recipient_public_jwk: JWK;
  ephemeral_secret_hex: string;
  ephemeral_public_hex: string;
  ephemeral_public_jwk: JWK;
  Z_hex: string;
}

/** An independent Concat KDF (NIST SP 800-56A §5.8.1, RFC 7518 §4.6.2) with node:crypto SHA-256. */
function referenceKDF(z: Uint8Array, algorithmID: string, apu: Uint8Array, apv: Uint8Array, bits: number): string {
  const lenPrefixed = (b: Uint8Array) => {
    const l = Buffer.alloc(4);
    l.writeUInt32BE(b.length);
    return Buffer.concat([l, b]);
  };
  const supp = Buffer.alloc(4);
  supp.writeUInt32BE(bits);
  const info = Buffer.concat([lenPrefixed(utf8(algorithmID)), lenPrefixed(apu), lenPrefixed(apv), supp]);
  let out = Buffer.alloc(0);
  for (let counter = 1; out.length * 8 < bits; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    out = Buffer.concat([out, createHash('sha256').update(c).update(z).update(info).digest()]);
  }
  return out.subarray(0, bits / 8).toString('hex');
}

describe('RFC 7518 Appendix C: ECDH-ES key agreement computation', () => {
  const v = loadVector<AppendixC>('rfc-appendix/rfc7518_C.json');
  const enc = resolveContentEncryption(v.enc);
  const km = resolveKeyManagement('ECDH-ES');
  const { d: _bobD, ...bobPublic } = v.recipient_key_bob;

  test('Z from the ephemeral private key and Bob\'s public key', async () => {
    const alice = await importJWK(v.ephemeral_key_alice);
    const bob = await importJWK(bobPublic as JWK);
    for (const z of await bothForms((sync) => (sync ? platform.deriveECDHSync('P-256', alice.imported, bob.imported) : platform.deriveECDH('P-256', alice.imported, bob.imported)))) {
      assert.equal(b64u(z), v.Z_b64u);
    }
  });

  test('the Concat KDF gives the published derived key from Z', async () => {
    const info = otherInfo(v.enc, utf8(v.apu_utf8), utf8(v.apv_utf8), 128);
    assert.equal(b64u(await concatKDF(fromB64u(v.Z_b64u), info, 128)), v.derived_key_b64u);
  });

  test('the sender, with the ephemeral key fixed, derives the published key and header', async () => {
    const bob = await importJWK(bobPublic as JWK);
    const input = { ephemeralKey: v.ephemeral_key_alice, apu: utf8(v.apu_utf8), apv: utf8(v.apv_utf8) };
    for (const w of await bothForms((sync) => wrapWith(km, sync, bob, enc, input))) {
      assert.equal(b64u(w.cek), v.derived_key_b64u);
      assert.equal(w.encryptedKey.length, 0);
      assert.deepEqual(w.parameters, { epk: v.protected_header.epk, apu: v.protected_header.apu, apv: v.protected_header.apv });
    }
  });

  test('the recipient derives the published key from the header', async () => {
    const bob = await importJWK(v.recipient_key_bob);
    for (const cek of await bothForms((sync) => unwrapWith(km, sync, bob, enc, EMPTY, v.protected_header))) {
      assert.equal(b64u(cek), v.derived_key_b64u);
    }
  });
});

describe('RFC 8037 A.6 / A.7: X25519 and X448 shared secrets', () => {
  for (const [file, crv] of [['rfc-appendix/rfc8037_A.6_x25519.json', 'X25519'], ['rfc-appendix/rfc8037_A.7_x448.json', 'X448']] as const) {
    const v = loadVector<RFC8037Agreement>(file);
    test(`${v.source}: Z, and the ECDH-ES derivation over it`, async () => {
      assert.equal(toHex(fromB64u(v.ephemeral_public_jwk.x as string)), v.ephemeral_public_hex);
      const ephemeralJWK: JWK = { kty: 'OKP', crv, x: v.ephemeral_public_jwk.x as string, d: b64u(hex(v.ephemeral_secret_hex)) };
      const ephemeral = await importJWK(ephemeralJWK);
      const recipient = await importJWK(v.recipient_public_jwk);
      for (const z of await bothForms((sync) => (sync ? platform.deriveECDHSync(crv, ephemeral.imported, recipient.imported) : platform.deriveECDH(crv, ephemeral.imported, recipient.imported)))) {
        assert.equal(toHex(z), v.Z_hex);
      }
      // Through the descriptor: the CEK is the Concat KDF of that Z (checked independently).
      const enc = resolveContentEncryption('A128GCM');
      const w = await resolveKeyManagement('ECDH-ES').wrap(recipient, enc, { ephemeralKey: ephemeralJWK, apu: utf8('Alice'), apv: utf8('Bob') });
      assert.equal(toHex(w.cek), referenceKDF(hex(v.Z_hex), 'A128GCM', utf8('Alice'), utf8('Bob'), 128));
      assert.deepEqual(w.parameters.epk, v.ephemeral_public_jwk);
    });
  }
});

describe('the Concat KDF inputs (RFC 7518 §4.6.2)', () => {
  const bob = () => pair('P-256');
  /** A second P-256 key pair (made by node:crypto), as a fixed ephemeral key. */
  const ephemeral = async () => {
    const privateJWK = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as JWK;
    return { privateJWK, privateKey: await importJWK(privateJWK) };
  };

  test('direct: AlgorithmID is the enc and keydatalen its CEK size (512 bits: two SHA-256 rounds)', async () => {
    const b = await bob();
    const e = await ephemeral();
    const z = await platform.deriveECDH('P-256', e.privateKey.imported, b.publicKey.imported);
    for (const name of JWE_ENCRYPTIONS) {
      const enc = resolveContentEncryption(name);
      const w = await resolveKeyManagement('ECDH-ES').wrap(b.publicKey, enc, { ephemeralKey: e.privateJWK, apu: utf8('u'), apv: utf8('v') });
      assert.equal(toHex(w.cek), referenceKDF(z, name, utf8('u'), utf8('v'), enc.cekLength * 8), name);
    }
  });

  test('key wrap: AlgorithmID is the alg and keydatalen the KEK size; no apu/apv are empty fields', async () => {
    const b = await bob();
    const e = await ephemeral();
    const z = await platform.deriveECDH('P-256', e.privateKey.imported, b.publicKey.imported);
    const enc = resolveContentEncryption('A256GCM');
    for (const bits of [128, 192, 256]) {
      const alg = `ECDH-ES+A${bits}KW`;
      const w = await resolveKeyManagement(alg).wrap(b.publicKey, enc, { ephemeralKey: e.privateJWK });
      assert.equal(w.parameters.apu, undefined);
      const kek = hex(referenceKDF(z, alg, EMPTY, EMPTY, bits));
      assert.equal(toHex(await platform.aesKWWrap(kek, w.cek)), toHex(w.encryptedKey), alg);
    }
  });
});

describe('every curve, every ECDH-ES algorithm', () => {
  for (const crv of CURVES) {
    for (const alg of ECDH_ALGS) {
      test(`${alg} over ${crv}`, async () => {
        const km = resolveKeyManagement(alg);
        const enc = resolveContentEncryption('A256CBC-HS512');
        const p = await pair(crv as PairKind);
        for (const w of await bothForms((sync) => wrapWith(km, sync, p.publicKey, enc, { apu: utf8('a'), apv: EMPTY }))) {
          const epk = w.parameters.epk as JWK;
          assert.equal(epk.crv, crv);
          assert.equal(epk.d, undefined);
          assert.equal(w.parameters.apv, '');
          for (const cek of await bothForms((sync) => unwrapWith(km, sync, p.privateKey, enc, w.encryptedKey, w.parameters))) assert.equal(toHex(cek), toHex(w.cek));
        }
      });
    }
  }
});

describe('epk validation (THREATS.md §12): ERR_JWE_EPK_INVALID', () => {
  const enc = resolveContentEncryption('A128GCM');

  async function header(crv: ECDHCurve, alg = 'ECDH-ES'): Promise<{ epk: JWK; encryptedKey: Uint8Array }> {
    const p = await pair(crv as PairKind);
    const w = await resolveKeyManagement(alg).wrap(p.publicKey, enc, {});
    return { epk: w.parameters.epk as JWK, encryptedKey: w.encryptedKey };
  }

  async function rejectsEPK(crv: ECDHCurve, epk: unknown, code = EPK_INVALID, alg = 'ECDH-ES'): Promise<void> {
    const km = resolveKeyManagement(alg);
    const p = await pair(crv as PairKind);
    const encryptedKey = alg === 'ECDH-ES' ? EMPTY : new Uint8Array(24);
    await rejectsBoth((sync) => unwrapWith(km, sync, p.privateKey, enc, encryptedKey, { epk }), code);
  }

  for (const crv of ['P-256', 'P-384', 'P-521'] as const) {
    test(`${crv}: an epk off the curve (y altered)`, async () => {
      const { epk } = await header(crv);
      const y = fromB64u(epk.y as string);
      y[y.length - 1] = (y[y.length - 1] as number) ^ 1;
      const off = { ...epk, y: b64u(y) };
      for (const alg of ECDH_ALGS) await rejectsEPK(crv, off, EPK_INVALID, alg);
      // The platform itself refuses the point (node:crypto's JWK import, WebCrypto's importKey).
      await assert.rejects(platform.importEphemeralPublicKey(off), { code: EPK_INVALID });
      if (platform.syncSupported) assert.throws(() => platform.importEphemeralPublicKeySync(off), { code: EPK_INVALID });
    });
  }

  test('an epk on another curve than the recipient key', async () => {
    await rejectsEPK('P-256', (await header('P-384')).epk);
    await rejectsEPK('P-384', (await header('P-256')).epk);
    await rejectsEPK('X25519', (await header('X448')).epk);
    await rejectsEPK('X448', (await header('X25519')).epk);
    // The same x and y, relabelled: still refused (the crv must match, and the coordinates fit it).
    const p256 = (await header('P-256')).epk;
    await rejectsEPK('P-256', { ...p256, crv: 'P-384' });
    await rejectsEPK('P-384', { ...p256, crv: 'P-384' });
  });

  test('an epk of another kty, or not a JWK object', async () => {
    const x25519 = (await header('X25519')).epk;
    await rejectsEPK('X25519', { ...x25519, kty: 'EC' });
    await rejectsEPK('X25519', { ...x25519, crv: 'Ed25519' });
    await rejectsEPK('P-256', { ...(await header('P-256')).epk, kty: 'OKP' });
    for (const bad of [null, 'epk', 42, [x25519], true]) await rejectsEPK('X25519', bad);
  });

  test('an epk with a private member, a stray y, a missing or malformed coordinate', async () => {
    const ec = (await header('P-256')).epk;
    const okp = (await header('X25519')).epk;
    await rejectsEPK('P-256', { ...ec, d: ec.x });
    await rejectsEPK('X25519', { ...okp, y: okp.x });
    const { y: _y, ...noY } = ec;
    await rejectsEPK('P-256', noY);
    await rejectsEPK('P-256', { ...ec, x: (ec.x as string).slice(0, -2) });
    await rejectsEPK('P-256', { ...ec, x: `${(ec.x as string).slice(0, -1)}=` });
    await rejectsEPK('X25519', { ...okp, x: 7 });
  });

  const LOW_ORDER: Record<'X25519' | 'X448', string[]> = {
    // u = 0, u = 1, two points of order 8 (RFC 7748 §6.1 warns of these), and u = p - 1.
    X25519: [
      '00'.repeat(32),
      `01${'00'.repeat(31)}`,
      'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
      '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
      'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    ],
    X448: ['00'.repeat(56), `01${'00'.repeat(55)}`, 'fefffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffffffffffffffffffffffffffffffffffffffffff'],
  };
  for (const crv of ['X25519', 'X448'] as const) {
    test(`${crv}: low-order points (all-zero shared secret)`, async () => {
      for (const u of LOW_ORDER[crv]) {
        for (const alg of ['ECDH-ES', 'ECDH-ES+A256KW']) await rejectsEPK(crv, { kty: 'OKP', crv, x: b64u(hex(u)) }, EPK_INVALID, alg);
      }
    });
  }

  test('an all-zero Z is refused by tessera itself, whatever the platform returns', async () => {
    const p = await pair('X25519');
    const { epk } = await header('X25519');
    const original = { async: platform.deriveECDH, sync: platform.deriveECDHSync };
    const mutable = platform as { -readonly [K in keyof typeof platform]: (typeof platform)[K] };
    mutable.deriveECDH = async () => new Uint8Array(32);
    mutable.deriveECDHSync = () => new Uint8Array(32);
    try {
      await rejectsBoth((sync) => unwrapWith(resolveKeyManagement('ECDH-ES'), sync, p.privateKey, enc, EMPTY, { epk }), EPK_INVALID);
    } finally {
      mutable.deriveECDH = original.async;
      mutable.deriveECDHSync = original.sync;
    }
  });

  test('a missing epk: ERR_HEADER_INVALID; apu/apv not strings: ERR_HEADER_INVALID', async () => {
    const p = await pair('P-256');
    const km = resolveKeyManagement('ECDH-ES');
    const { epk } = await header('P-256');
    await rejectsBoth((sync) => unwrapWith(km, sync, p.privateKey, enc, EMPTY, {}), 'ERR_HEADER_INVALID');
    await rejectsBoth((sync) => unwrapWith(km, sync, p.privateKey, enc, EMPTY, { epk, apu: 1 }), 'ERR_HEADER_INVALID');
    await rejectsBoth((sync) => unwrapWith(km, sync, p.privateKey, enc, EMPTY, { epk, apv: ['Qm9i'] }), 'ERR_HEADER_INVALID');
    await rejectsBoth((sync) => unwrapWith(km, sync, p.privateKey, enc, EMPTY, { epk, apu: 'QWxpY2U=' }), 'ERR_BASE64URL_INVALID');
  });
});

describe('ECDH-ES misuse', () => {
  const enc = resolveContentEncryption('A128GCM');

  test('direct key agreement with a non-empty encrypted key: ERR_JWE_INVALID', async () => {
    const p = await pair('P-256');
    const w = await resolveKeyManagement('ECDH-ES').wrap(p.publicKey, enc, {});
    await rejectsBoth((sync) => unwrapWith(resolveKeyManagement('ECDH-ES'), sync, p.privateKey, enc, new Uint8Array(1), w.parameters), 'ERR_JWE_INVALID');
  });

  test('decrypting with a public key: ERR_KEY_PRIVATE_REQUIRED', async () => {
    const p = await pair('X25519');
    const km = resolveKeyManagement('ECDH-ES+A128KW');
    const w = await km.wrap(p.publicKey, enc, {});
    await rejectsBoth((sync) => unwrapWith(km, sync, p.publicKey, enc, w.encryptedKey, w.parameters), 'ERR_KEY_PRIVATE_REQUIRED');
  });

  test('a fixed ephemeral key on another curve, or without d: ERR_INVALID_ARGUMENT', async () => {
    const p = await pair('P-256');
    const other = await pair('P-384');
    const km = resolveKeyManagement('ECDH-ES');
    await rejectsBoth((sync) => wrapWith(km, sync, p.publicKey, enc, { ephemeralKey: other.privateJWK }), 'ERR_INVALID_ARGUMENT');
    await rejectsBoth((sync) => wrapWith(km, sync, p.publicKey, enc, { ephemeralKey: p.publicJWK }), 'ERR_INVALID_ARGUMENT');
  });

  test('a given CEK other than the derived one (direct): ERR_INVALID_ARGUMENT', async () => {
    const p = await pair('P-256');
    await rejectsBoth((sync) => wrapWith(resolveKeyManagement('ECDH-ES'), sync, p.publicKey, enc, { cek: new Uint8Array(16) }), 'ERR_INVALID_ARGUMENT');
  });
});
