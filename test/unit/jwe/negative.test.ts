/**
 * The JWE negative suite: one case per JWE attack in THREATS.md (§8, 9, 12–18), each asserting the
 * exact error code through every decrypt entry point (compact, async and sync, plain functions and
 * factories; and the same bytes as flattened and general JSON where the case applies).
 *
 * Where a lenient library could accept the token, it is forged with node:crypto so that it is
 * *valid* apart from the one thing under test (a truncated GCM tag that is a prefix of the real
 * one, a CEK of the wrong length whose content really is encrypted with it, a padding error under a
 * valid MAC, an all-zero ECDH secret…): the check under test is then the only thing standing
 * between the token and acceptance.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  constants,
  createCipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  publicEncrypt,
} from 'node:crypto';
import { generateKeyPairSync } from '../../helpers/node-keygen.ts';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { deflateRawSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { platform } from '#platform';
import { isTesseraError } from '../../../src/core/errors.ts';
import type { JWK } from '../../../src/jwa/types.ts';
import { signJWS, signFlattenedJWS, signGeneralJWS } from '../../../src/jws/index.ts';
import {
  createDecrypter,
  createDecrypterSync,
  createEncrypter,
  decryptFlattenedJWE,
  decryptFlattenedJWESync,
  decryptGeneralJWE,
  decryptGeneralJWESync,
  decryptJWE,
  decryptJWESync,
  encryptFlattenedJWE,
  encryptGeneralJWE,
  encryptJWE,
  encryptJWESync,
  type DecryptKey,
  type DecryptOptions,
} from '../../../src/jwe/index.ts';
import { b64u, pair, secretBytes } from '../../helpers/jws-fixtures.ts';

// ---------------------------------------------------------------------------------------------
// Keys

const DIR32 = secretBytes(32, 11);
const DIR64 = secretBytes(64, 12);
const KW16 = secretBytes(16, 13);
const KW24 = secretBytes(24, 14);
const KW32 = secretBytes(32, 15);
const PASSWORD = new TextEncoder().encode('correct horse battery staple');

type XKind = 'X25519' | 'X448';
const xPairs = new Map<XKind, { privateJWK: JWK; publicJWK: JWK }>();
/** An X25519 or X448 key pair, made once with node:crypto. */
function xPair(kind: XKind): { privateJWK: JWK; publicJWK: JWK } {
  let p = xPairs.get(kind);
  if (p === undefined) {
    const { privateKey, publicKey } = kind === 'X25519' ? generateKeyPairSync('x25519') : generateKeyPairSync('x448');
    p = { privateJWK: privateKey.export({ format: 'jwk' }) as JWK, publicJWK: publicKey.export({ format: 'jwk' }) as JWK };
    xPairs.set(kind, p);
  }
  return { privateJWK: { ...p.privateJWK }, publicJWK: { ...p.publicJWK } };
}

/** A fresh public JWK on the curve of `epk` (P-256/384/521, X25519, X448). */
function anotherPoint(epk: JWK): JWK {
  const crv = epk.crv as string;
  if (crv === 'X25519' || crv === 'X448') {
    const { publicKey } = crv === 'X25519' ? generateKeyPairSync('x25519') : generateKeyPairSync('x448');
    return publicKey.export({ format: 'jwk' }) as JWK;
  }
  const named = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' }[crv] as string;
  return generateKeyPairSync('ec', { namedCurve: named }).publicKey.export({ format: 'jwk' }) as JWK;
}

// ---------------------------------------------------------------------------------------------
// Entry points

type JSONish = Record<string, unknown>;
type Run = (key: DecryptKey, options: DecryptOptions | undefined) => Promise<unknown>;

/** Every compact decrypt entry point (the sync ones only where the backend has them). */
function compactEntries(token: string): Array<[string, Run]> {
  const out: Array<[string, Run]> = [
    ['decryptJWE', (k, o) => decryptJWE(token, k, o)],
    ['createDecrypter().decrypt', async (k, o) => (await createDecrypter(k, o)).decrypt(token)],
  ];
  if (platform.syncSupported) {
    out.push(
      ['decryptJWESync', async (k, o) => decryptJWESync(token, k, o)],
      ['createDecrypter().decryptSync', async (k, o) => (await createDecrypter(k, o)).decryptSync(token)],
      ['createDecrypterSync().decryptSync', async (k, o) => createDecrypterSync(k, o).decryptSync(token)],
    );
  }
  return out;
}

function flattenedEntries(jwe: JSONish): Array<[string, Run]> {
  const out: Array<[string, Run]> = [['decryptFlattenedJWE', (k, o) => decryptFlattenedJWE(jwe, k, o)]];
  if (platform.syncSupported) out.push(['decryptFlattenedJWESync', async (k, o) => decryptFlattenedJWESync(jwe, k, o)]);
  return out;
}

function generalEntries(jwe: JSONish): Array<[string, Run]> {
  const out: Array<[string, Run]> = [['decryptGeneralJWE', (k, o) => decryptGeneralJWE(jwe, k, o)]];
  if (platform.syncSupported) out.push(['decryptGeneralJWESync', async (k, o) => decryptGeneralJWESync(jwe, k, o)]);
  return out;
}

/** A compact token's five parts as a flattened JSON JWE (RFC 7516 §7.2.2), string for string. */
function toFlattened(token: string): JSONish {
  const [h, ek, iv, ciphertext, tag] = token.split('.') as [string, string, string, string, string];
  const out: JSONish = { protected: h };
  if (ek !== '') out.encrypted_key = ek;
  return { ...out, iv, ciphertext, tag };
}

/** A flattened JWE as a general one with its one recipient. */
function toGeneral(flat: JSONish): JSONish {
  const { header, encrypted_key, ...rest } = flat;
  const recipient: JSONish = {};
  if (header !== undefined) recipient.header = header;
  if (encrypted_key !== undefined) recipient.encrypted_key = encrypted_key;
  return { ...rest, recipients: [recipient] };
}

/**
 * Entry points for a JWE: a compact token goes through every compact entry point and, as the
 * same strings, through the flattened and general ones; a flattened object through the flattened
 * and general ones; a general object through the general ones.
 */
function entriesFor(jwe: string | JSONish, json = true): Array<[string, Run]> {
  if (typeof jwe === 'string') {
    const convertible = json && jwe.split('.').length === 5;
    return [...compactEntries(jwe), ...(convertible ? [...flattenedEntries(toFlattened(jwe)), ...generalEntries(toGeneral(toFlattened(jwe)))] : [])];
  }
  if ('recipients' in jwe) return generalEntries(jwe);
  return [...flattenedEntries(jwe), ...generalEntries(toGeneral(jwe))];
}

/**
 * Asserts that every entry point for `jwe` fails with `code` (a TesseraError, nothing else).
 * @returns the error messages, for cases that must be indistinguishable
 */
async function rejectsAll(jwe: string | JSONish, key: DecryptKey, options: DecryptOptions | undefined, code: string, json = true): Promise<string[]> {
  const messages: string[] = [];
  for (const [name, run] of entriesFor(jwe, json)) {
    let error: unknown;
    let ok = false;
    try {
      await run(key, options);
      ok = true;
    } catch (err) {
      error = err;
    }
    if (ok) assert.fail(`${name} decrypted; expected ${code}`);
    if (!isTesseraError(error)) throw new Error(`${name}: a non-tessera error escaped (expected ${code})`, { cause: error });
    assert.equal(error.code, code, `${name} must fail with ${code}, got ${error.code}: ${error.message}`);
    messages.push(error.message);
  }
  return messages;
}

/** Asserts that every entry point decrypts `jwe` to `plaintext` (so a refusal elsewhere is about the one change). */
async function decryptsEverywhere(
  jwe: string | JSONish,
  key: DecryptKey,
  options: DecryptOptions | undefined,
  plaintext: Uint8Array | string,
  json = true,
): Promise<void> {
  const expected = typeof plaintext === 'string' ? new TextEncoder().encode(plaintext) : plaintext;
  for (const [name, run] of entriesFor(jwe, json)) {
    const result = (await run(key, options)) as { plaintext: Uint8Array };
    assert.ok(Buffer.from(result.plaintext).equals(Buffer.from(expected)), `${name} decrypts the fixture`);
  }
}

// ---------------------------------------------------------------------------------------------
// Forging JWEs with node:crypto alone (RFC 7516 §5.1, RFC 7518 §4–5), independent of src/.

const ENC: Record<string, { cek: number; iv: number; hash?: 'sha256' | 'sha384' | 'sha512' }> = {
  A128GCM: { cek: 16, iv: 12 },
  A192GCM: { cek: 24, iv: 12 },
  A256GCM: { cek: 32, iv: 12 },
  'A128CBC-HS256': { cek: 32, iv: 16, hash: 'sha256' },
  'A192CBC-HS384': { cek: 48, iv: 16, hash: 'sha384' },
  'A256CBC-HS512': { cek: 64, iv: 16, hash: 'sha512' },
};

interface Content {
  iv: Uint8Array;
  ciphertext: Uint8Array;
  tag: Uint8Array;
}

const ascii = (s: string) => Buffer.from(s, 'latin1');
const bytes = (n: number, seed: number) => secretBytes(n, seed);

/** AES-GCM with a key of any AES size and an IV of any length (node accepts both). */
function gcm(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Content {
  const c = createCipheriv(`aes-${key.length * 8}-gcm` as 'aes-256-gcm', key, iv);
  c.setAAD(aad);
  const ciphertext = Buffer.concat([c.update(plaintext), c.final()]);
  return { iv, ciphertext, tag: c.getAuthTag() };
}

/** RFC 7518 §5.2.2.1 steps 5–6: the full HMAC over AAD || IV || ciphertext || AL (AL: 64-bit big-endian bits). */
function cbcMAC(hash: 'sha256' | 'sha384' | 'sha512', macKey: Uint8Array, aad: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Buffer {
  const al = Buffer.alloc(8);
  al.writeBigUInt64BE(BigInt(aad.length) * 8n);
  return createHmac(hash, macKey).update(aad).update(iv).update(ciphertext).update(al).digest();
}

/** AES-CBC without padding, over data the caller has already padded (or mis-padded). */
function cbcRaw(encKey: Uint8Array, iv: Uint8Array, padded: Uint8Array): Buffer {
  const c = createCipheriv(`aes-${encKey.length * 8}-cbc` as 'aes-128-cbc', encKey, iv);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(padded), c.final()]);
}

/** PKCS#7 padding to the AES block. */
function pkcs7(data: Uint8Array): Buffer {
  const n = 16 - (data.length % 16);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

/** AES_CBC_HMAC_SHA2 (RFC 7518 §5.2.2.1) over already padded data, with the MAC computed here. */
function cbcHS(enc: string, cek: Uint8Array, iv: Uint8Array, padded: Uint8Array, aad: Uint8Array): Content {
  const spec = ENC[enc] as { cek: number; hash: 'sha256' };
  const half = spec.cek / 2;
  const ciphertext = padded.length === 0 ? Buffer.alloc(0) : cbcRaw(cek.subarray(half), iv, padded);
  return { iv, ciphertext, tag: cbcMAC(spec.hash, cek.subarray(0, half), aad, iv, ciphertext).subarray(0, half) };
}

/** Content encryption by `enc` name. */
function encryptContent(enc: string, cek: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Content {
  return ENC[enc]?.hash ? cbcHS(enc, cek, iv, pkcs7(plaintext), aad) : gcm(cek, iv, plaintext, aad);
}

/** RFC 3394 AES key wrap with the default IV. */
function aesKW(kek: Uint8Array, cek: Uint8Array): Buffer {
  const c = createCipheriv(`id-aes${kek.length * 8}-wrap` as 'id-aes128-wrap', kek, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
  return Buffer.concat([c.update(cek), c.final()]);
}

/** RFC 7518 §4.6.2 Concat KDF with SHA-256 (apu and apv empty). */
function concatKDF(z: Uint8Array, algorithmID: string, bits: number): Buffer {
  const len32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const id = Buffer.from(algorithmID);
  const otherInfo = Buffer.concat([len32(id.length), id, len32(0), len32(0), len32(bits)]);
  const out: Buffer[] = [];
  for (let counter = 1; out.length * 256 < bits; counter++) {
    out.push(createHash('sha256').update(len32(counter)).update(z).update(otherInfo).digest());
  }
  return Buffer.concat(out).subarray(0, bits / 8);
}

/**
 * A compact JWE with the protected header given as exact text, the encrypted key given, and the
 * content made by `content` over the AAD (ASCII of the encoded header).
 */
function forge(headerText: string, encryptedKey: Uint8Array, content: (aad: Buffer) => Content): string {
  const h = b64u(headerText);
  const c = content(ascii(h));
  return [h, b64u(encryptedKey), b64u(c.iv), b64u(c.ciphertext), b64u(c.tag)].join('.');
}

/** A `dir` token forged over a header text with a key of `enc`'s size. */
function forgeDir(headerText: string, enc: string, key: Uint8Array, plaintext = 'forged'): string {
  return forge(headerText, new Uint8Array(0), (aad) => encryptContent(enc, key, bytes((ENC[enc] as { iv: number }).iv, 5), ascii(plaintext), aad));
}

/** The parts of a compact token. */
function parts(token: string): [string, string, string, string, string] {
  const p = token.split('.');
  assert.equal(p.length, 5, 'fixture: a five-part token');
  return p as [string, string, string, string, string];
}

/** The decoded protected header of a compact token or flattened object. */
function headerOf(encoded: string): JSONish {
  return JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as JSONish;
}

/** Re-encodes a compact token's protected header after `change` (member order kept). */
function withHeader(token: string, change: (h: JSONish) => void): string {
  const p = parts(token);
  const h = headerOf(p[0]);
  change(h);
  p[0] = b64u(JSON.stringify(h));
  return p.join('.');
}

/** Flips one bit of the decoded part `i` of a compact token (at byte `at`, from the end when negative). */
function flipPart(token: string, i: number, at = 0): string {
  const p = parts(token);
  const b = Buffer.from(p[i] as string, 'base64url');
  assert.ok(b.length > 0, 'fixture: a non-empty part');
  const k = at < 0 ? b.length + at : at;
  b[k] = (b[k] as number) ^ 0x01;
  p[i] = b.toString('base64url');
  return p.join('.');
}

function setPart(token: string, i: number, value: Uint8Array): string {
  const p = parts(token);
  p[i] = b64u(value);
  return p.join('.');
}

const PT = new TextEncoder().encode('{"sub":"ada","admin":false}');
const ALLOW = (alg: string, extra: DecryptOptions = {}): DecryptOptions => ({ algorithms: [alg], ...extra });

// ---------------------------------------------------------------------------------------------
// Configurations: a valid token of each, made by tessera (checked to decrypt everywhere).

interface Config {
  readonly alg: string;
  readonly enc: string;
  readonly encryptKey: Uint8Array | JWK;
  readonly decryptKey: Uint8Array | JWK;
  readonly extra?: { p2c?: number };
}

const CONFIGS: readonly Config[] = [
  { alg: 'dir', enc: 'A256GCM', encryptKey: DIR32, decryptKey: DIR32 },
  { alg: 'dir', enc: 'A256CBC-HS512', encryptKey: DIR64, decryptKey: DIR64 },
  { alg: 'A128KW', enc: 'A128GCM', encryptKey: KW16, decryptKey: KW16 },
  { alg: 'A256KW', enc: 'A256CBC-HS512', encryptKey: KW32, decryptKey: KW32 },
  { alg: 'A192GCMKW', enc: 'A192CBC-HS384', encryptKey: KW24, decryptKey: KW24 },
  { alg: 'RSA-OAEP', enc: 'A256GCM', encryptKey: pair('RSA').publicJWK, decryptKey: pair('RSA').privateJWK },
  { alg: 'RSA-OAEP-256', enc: 'A128CBC-HS256', encryptKey: pair('RSA').publicJWK, decryptKey: pair('RSA').privateJWK },
  { alg: 'ECDH-ES', enc: 'A256GCM', encryptKey: pair('P-256').publicJWK, decryptKey: pair('P-256').privateJWK },
  { alg: 'ECDH-ES+A128KW', enc: 'A128GCM', encryptKey: xPair('X25519').publicJWK, decryptKey: xPair('X25519').privateJWK },
  { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', encryptKey: pair('P-384').publicJWK, decryptKey: pair('P-384').privateJWK },
  { alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', encryptKey: PASSWORD, decryptKey: PASSWORD, extra: { p2c: 1000 } },
];

const label = (c: Config) => `${c.alg} + ${c.enc}`;
const tokenOf = (c: Config, plaintext: Uint8Array | string = PT) => encryptJWE(plaintext, c.encryptKey, { alg: c.alg, enc: c.enc, ...(c.extra ?? {}) });

/** The tag-failure message, to compare every other decryption failure with (THREATS.md §13, §15). */
let TAG_FAILURE_MESSAGE = '';
before(async () => {
  const t = await encryptJWE(PT, DIR32, { alg: 'dir', enc: 'A256GCM' });
  const [message] = await rejectsAll(flipPart(t, 4), DIR32, undefined, 'ERR_JWE_DECRYPTION_FAILED');
  TAG_FAILURE_MESSAGE = message as string;
});

// ---------------------------------------------------------------------------------------------

describe('mutations of a valid JWE never decrypt (RFC 7516 §5.2)', () => {
  for (const c of CONFIGS) {
    test(label(c), async () => {
      const token = await tokenOf(c);
      await decryptsEverywhere(token, c.decryptKey, ALLOW(c.alg), PT);
      const direct = c.alg === 'dir' || c.alg === 'ECDH-ES';
      const failures: Array<[string, string]> = [
        ['the first ciphertext byte', flipPart(token, 3, 0)],
        ['the last ciphertext byte', flipPart(token, 3, -1)],
        ['the first tag byte', flipPart(token, 4, 0)],
        ['the last tag byte', flipPart(token, 4, -1)],
        ['the first IV byte', flipPart(token, 2, 0)],
        ['the last IV byte', flipPart(token, 2, -1)],
        ['typ added to the protected header', withHeader(token, (h) => void (h.typ = 'JWT'))],
        ['a cty in the protected header', withHeader(token, (h) => void (h.cty = 'x'))],
      ];
      if (!direct) {
        failures.push(['the first encrypted key byte', flipPart(token, 1, 0)], ['the last encrypted key byte', flipPart(token, 1, -1)]);
      }
      const h = headerOf(parts(token)[0]);
      if (h.epk !== undefined) {
        // Another valid point of the same curve: the tag protects the header, and the derived key changes.
        const fresh = anotherPoint(h.epk as JWK);
        failures.push(['another epk of the same curve', withHeader(token, (x) => void (x.epk = fresh))]);
      }
      if (typeof h.p2s === 'string') failures.push(['another p2s', withHeader(token, (x) => void (x.p2s = b64u(bytes(16, 77))))]);
      if (typeof h.iv === 'string') {
        failures.push(['the GCMKW iv', withHeader(token, (x) => void (x.iv = b64u(bytes(12, 78))))]);
        failures.push(['the GCMKW tag', withHeader(token, (x) => void (x.tag = b64u(bytes(16, 79))))]);
      }
      for (const [what, bad] of failures) {
        const messages = await rejectsAll(bad, c.decryptKey, ALLOW(c.alg), 'ERR_JWE_DECRYPTION_FAILED').catch((err: unknown) => {
          throw new Error(`${label(c)}: ${what}`, { cause: err });
        });
        for (const m of messages) assert.equal(m, TAG_FAILURE_MESSAGE, `${label(c)}: ${what}: one message for every decryption failure`);
      }
    });
  }

  test('mutated AAD (JSON serializations)', async () => {
    for (const c of CONFIGS) {
      const flat = (await encryptFlattenedJWE(PT, c.encryptKey, { alg: c.alg, enc: c.enc, ...(c.extra ?? {}), aad: 'bound to the token' })) as unknown as JSONish;
      await decryptsEverywhere(flat, c.decryptKey, ALLOW(c.alg), PT);
      for (const aad of [b64u('bound to the tokeN'), b64u('bound to the token\0')]) {
        await rejectsAll({ ...flat, aad }, c.decryptKey, ALLOW(c.alg), 'ERR_JWE_DECRYPTION_FAILED');
      }
      const { aad: _dropped, ...without } = flat;
      void _dropped;
      await rejectsAll(without, c.decryptKey, ALLOW(c.alg), 'ERR_JWE_DECRYPTION_FAILED');
    }
  });

  test('an AAD added to a JWE made without one', async () => {
    const flat = (await encryptFlattenedJWE(PT, KW16, { alg: 'A128KW', enc: 'A128GCM' })) as unknown as JSONish;
    await rejectsAll({ ...flat, aad: b64u('x') }, KW16, undefined, 'ERR_JWE_DECRYPTION_FAILED');
  });

  test('key-management parameters in the recipient header (JSON): mutated, they never decrypt', async () => {
    for (const c of CONFIGS.filter((x) => ['ECDH-ES+A128KW', 'A192GCMKW', 'PBES2-HS256+A128KW', 'ECDH-ES'].includes(x.alg))) {
      const flat = (await encryptFlattenedJWE(PT, c.encryptKey, { alg: c.alg, enc: c.enc, ...(c.extra ?? {}) })) as unknown as JSONish;
      await decryptsEverywhere(flat, c.decryptKey, ALLOW(c.alg), PT);
      const header = (flat.header ?? {}) as JSONish;
      const changes: Array<[string, JSONish]> = [];
      if (header.epk !== undefined) changes.push(['epk', { epk: anotherPoint(header.epk as JWK) }]);
      if (header.p2s !== undefined) changes.push(['p2s', { p2s: b64u(bytes(16, 70)) }]);
      if (header.iv !== undefined) changes.push(['iv', { iv: b64u(bytes(12, 71)) }], ['tag', { tag: b64u(bytes(16, 72)) }]);
      if (header.apu === undefined && header.epk !== undefined) changes.push(['apu added', { apu: b64u('alice') }]);
      for (const [name, change] of changes) {
        await rejectsAll({ ...flat, header: { ...header, ...change } }, c.decryptKey, ALLOW(c.alg), 'ERR_JWE_DECRYPTION_FAILED').catch((err: unknown) => {
          throw new Error(`${label(c)}: ${name}`, { cause: err });
        });
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('ECDH-ES ephemeral keys (THREATS.md §12)', () => {
  const recipient = pair('P-256');

  /** A valid ECDH-ES token for the P-256 recipient with its `epk` replaced. */
  async function withEPK(alg: 'ECDH-ES' | 'ECDH-ES+A128KW', epk: JWK): Promise<string> {
    const token = await encryptJWE(PT, recipient.publicJWK, { alg, enc: 'A128GCM' });
    await decryptsEverywhere(token, recipient.privateJWK, ALLOW(alg), PT);
    return withHeader(token, (h) => void (h.epk = epk));
  }

  const valid = recipient.publicJWK;
  const y = Buffer.from(valid.y as string, 'base64url');
  const x = Buffer.from(valid.x as string, 'base64url');
  const offCurve: Array<[string, JWK]> = [
    ['y altered (last bit)', { kty: 'EC', crv: 'P-256', x: valid.x as string, y: b64u(Buffer.from(y.map((v, i) => (i === 31 ? v ^ 1 : v)))) }],
    ['y altered (first byte)', { kty: 'EC', crv: 'P-256', x: valid.x as string, y: b64u(Buffer.from(y.map((v, i) => (i === 0 ? v ^ 0x40 : v)))) }],
    ['x altered', { kty: 'EC', crv: 'P-256', x: b64u(Buffer.from(x.map((v, i) => (i === 31 ? v ^ 1 : v)))), y: valid.y as string }],
    ['(0, 0)', { kty: 'EC', crv: 'P-256', x: b64u(new Uint8Array(32)), y: b64u(new Uint8Array(32)) }],
  ];
  for (const alg of ['ECDH-ES', 'ECDH-ES+A128KW'] as const) {
    for (const [name, epk] of offCurve) {
      test(`${alg}: a P-256 epk off the curve, ${name}`, async () => {
        await rejectsAll(await withEPK(alg, epk), recipient.privateJWK, ALLOW(alg), 'ERR_JWE_EPK_INVALID');
      });
    }

    test(`${alg}: an epk on another curve than the recipient key`, async () => {
      await rejectsAll(await withEPK(alg, pair('P-384').publicJWK), recipient.privateJWK, ALLOW(alg), 'ERR_JWE_EPK_INVALID');
      await rejectsAll(await withEPK(alg, pair('P-521').publicJWK), recipient.privateJWK, ALLOW(alg), 'ERR_JWE_EPK_INVALID');
      await rejectsAll(await withEPK(alg, xPair('X25519').publicJWK), recipient.privateJWK, ALLOW(alg), 'ERR_JWE_EPK_INVALID');
      // The P-384 point under the recipient's curve name: off the P-256 curve (and the wrong length).
      await rejectsAll(await withEPK(alg, { ...pair('P-384').publicJWK, crv: 'P-256' }), recipient.privateJWK, ALLOW(alg), 'ERR_JWE_EPK_INVALID');
    });
  }

  test('an epk carrying private members, or of the wrong type', async () => {
    // An ephemeral *private* key in the header is not a public key (RFC 7518 §4.6.1.1).
    await rejectsAll(await withEPK('ECDH-ES', pair('P-256').privateJWK), recipient.privateJWK, ALLOW('ECDH-ES'), 'ERR_JWE_EPK_INVALID');
    await rejectsAll(await withEPK('ECDH-ES', { kty: 'oct', k: b64u(DIR32) }), recipient.privateJWK, ALLOW('ECDH-ES'), 'ERR_JWE_EPK_INVALID');
    await rejectsAll(await withEPK('ECDH-ES', { kty: 'EC', crv: 'P-256', x: valid.x as string } as JWK), recipient.privateJWK, ALLOW('ECDH-ES'), 'ERR_JWE_EPK_INVALID');
  });

  test('an ECDH-ES token with no epk, or an epk that is not an object', async () => {
    const token = await encryptJWE(PT, recipient.publicJWK, { alg: 'ECDH-ES', enc: 'A128GCM' });
    await rejectsAll(withHeader(token, (h) => void delete h.epk), recipient.privateJWK, ALLOW('ECDH-ES'), 'ERR_HEADER_INVALID');
    for (const epk of ['x', 1, null, [valid]]) {
      await rejectsAll(withHeader(token, (h) => void (h.epk = epk)), recipient.privateJWK, ALLOW('ECDH-ES'), 'ERR_HEADER_INVALID');
    }
  });

  // Low-order points: the shared secret is all zeros (RFC 7748 §6.1; RFC 8037 §3.2 requires the
  // all-zero check). The token is forged *validly* for that all-zero secret, so an implementation
  // that computes the zero secret and goes on would decrypt it.
  const P25519 = 2n ** 255n - 19n;
  const P448 = 2n ** 448n - 2n ** 224n - 1n;
  const le = (n: bigint, len: number) => Uint8Array.from({ length: len }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
  const LOW_ORDER: Record<XKind, Array<[string, Uint8Array]>> = {
    X25519: [
      ['u = 0', le(0n, 32)],
      ['u = 1', le(1n, 32)],
      // Points of order 8 (the small-order list libsodium blocks).
      ['u of order 8', Buffer.from('e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800', 'hex')],
      ['u of order 8 (the other)', Buffer.from('5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157', 'hex')],
      ['u = p - 1 (order 2)', le(P25519 - 1n, 32)],
      ['u = p (non-canonical 0)', le(P25519, 32)],
      ['u = p + 1 (non-canonical 1)', le(P25519 + 1n, 32)],
    ],
    X448: [
      ['u = 0', le(0n, 56)],
      ['u = 1', le(1n, 56)],
      ['u = p - 1 (order 2)', le(P448 - 1n, 56)],
    ],
  };

  for (const kind of ['X25519', 'X448'] as const) {
    for (const [name, u] of LOW_ORDER[kind]) {
      test(`${kind} low-order point ${name}`, async () => {
        const epk: JWK = { kty: 'OKP', crv: kind, x: b64u(u) };
        // Independent check that the fixture is low order: node:crypto refuses it or derives zeros.
        const priv = createPrivateKey({ key: xPair(kind).privateJWK as never, format: 'jwk' });
        let z: Buffer | undefined;
        try {
          z = diffieHellman({ privateKey: priv, publicKey: createPublicKey({ key: epk as never, format: 'jwk' }) });
        } catch {
          z = undefined;
        }
        assert.ok(z === undefined || z.every((b) => b === 0), `${kind} ${name} is a low-order point`);

        const zeros = new Uint8Array(kind === 'X25519' ? 32 : 56);
        for (const [alg, enc] of [['ECDH-ES', 'A256GCM'], ['ECDH-ES+A128KW', 'A128CBC-HS256']] as const) {
          const header = JSON.stringify({ alg, enc, epk });
          let token: string;
          if (alg === 'ECDH-ES') {
            const cek = concatKDF(zeros, enc, 256);
            token = forge(header, new Uint8Array(0), (aad) => encryptContent(enc, cek, bytes(12, 3), PT, aad));
          } else {
            const kek = concatKDF(zeros, alg, 128);
            const cek = bytes(32, 4);
            token = forge(header, aesKW(kek, cek), (aad) => encryptContent(enc, cek, bytes(16, 3), PT, aad));
          }
          await rejectsAll(token, xPair(kind).privateJWK, ALLOW(alg), 'ERR_JWE_EPK_INVALID');
        }
      });
    }
  }
});

// ---------------------------------------------------------------------------------------------

describe('AES-GCM tag and IV (THREATS.md §15)', () => {
  /** A dir + A256GCM token, valid by construction. */
  const make = (iv: Uint8Array, tagLength = 16) =>
    forge('{"alg":"dir","enc":"A256GCM"}', new Uint8Array(0), (aad) => {
      const c = createCipheriv('aes-256-gcm', DIR32, iv, { authTagLength: tagLength });
      c.setAAD(aad);
      const ciphertext = Buffer.concat([c.update(PT), c.final()]);
      return { iv, ciphertext, tag: c.getAuthTag() };
    });

  test('the forged baseline decrypts', async () => {
    await decryptsEverywhere(make(bytes(12, 1)), DIR32, undefined, PT);
  });

  test('a truncated tag (15 bytes, a prefix of the real one) and shorter ones', async () => {
    const token = make(bytes(12, 1));
    const tag = Buffer.from(parts(token)[4], 'base64url');
    for (const n of [15, 12, 8, 4, 1]) {
      const messages = await rejectsAll(setPart(token, 4, tag.subarray(0, n)), DIR32, undefined, 'ERR_JWE_DECRYPTION_FAILED');
      for (const m of messages) assert.equal(m, TAG_FAILURE_MESSAGE);
    }
    // A tag made at that length from the start (GCM allows 96-bit tags; RFC 7518 §5.3 does not).
    await rejectsAll(make(bytes(12, 1), 12), DIR32, undefined, 'ERR_JWE_DECRYPTION_FAILED');
  });

  test('an extended tag (17 bytes) and an empty one', async () => {
    const token = make(bytes(12, 1));
    const tag = Buffer.from(parts(token)[4], 'base64url');
    for (const longer of [Buffer.concat([tag, Buffer.from([0])]), Buffer.concat([tag, tag])]) {
      await rejectsAll(setPart(token, 4, longer), DIR32, undefined, 'ERR_JWE_DECRYPTION_FAILED');
    }
    await rejectsAll(setPart(token, 4, new Uint8Array(0)), DIR32, undefined, 'ERR_JWE_DECRYPTION_FAILED');
  });

  test('a GCM IV of 8 or 16 bytes (valid GCM, not RFC 7518 §5.3), or empty', async () => {
    for (const n of [8, 16, 11, 13, 1]) {
      const messages = await rejectsAll(make(bytes(n, 2)), DIR32, undefined, 'ERR_JWE_DECRYPTION_FAILED');
      for (const m of messages) assert.equal(m, TAG_FAILURE_MESSAGE);
    }
    await rejectsAll(setPart(make(bytes(12, 2)), 2, new Uint8Array(0)), DIR32, undefined, 'ERR_JWE_DECRYPTION_FAILED');
  });

  test('a CBC IV of 12 bytes', async () => {
    const token = await encryptJWE(PT, DIR64, { alg: 'dir', enc: 'A256CBC-HS512' });
    // Forge a token whose MAC covers the 12-byte IV, so only the IV length is wrong.
    const h = parts(token)[0];
    const iv = bytes(12, 2);
    const ciphertext = cbcRaw(DIR64.subarray(32), bytes(16, 2), pkcs7(PT));
    const tag = cbcMAC('sha512', DIR64.subarray(0, 32), ascii(h), iv, ciphertext).subarray(0, 32);
    const forged = [h, '', b64u(iv), b64u(ciphertext), b64u(tag)].join('.');
    for (const m of await rejectsAll(forged, DIR64, undefined, 'ERR_JWE_DECRYPTION_FAILED')) assert.equal(m, TAG_FAILURE_MESSAGE);
    await rejectsAll(setPart(token, 2, bytes(12, 2)), DIR64, undefined, 'ERR_JWE_DECRYPTION_FAILED');
    await rejectsAll(setPart(token, 2, bytes(32, 2)), DIR64, undefined, 'ERR_JWE_DECRYPTION_FAILED');
  });
});

describe('a CEK of the wrong length looks like a tag failure (THREATS.md §15)', () => {
  /** An A256KW token whose wrapped CEK is `cek`, the content encrypted with that CEK as it is. */
  function wrongCEK(enc: string, cek: Uint8Array): string {
    const header = JSON.stringify({ alg: 'A256KW', enc });
    return forge(header, aesKW(KW32, cek), (aad) => {
      if (ENC[enc]?.hash) {
        // CBC-HS with the CEK split in halves, whatever its length: what a lenient library would do.
        const half = cek.length / 2;
        const iv = bytes(16, 8);
        const ciphertext = cbcRaw(cek.subarray(half), iv, pkcs7(PT));
        return { iv, ciphertext, tag: cbcMAC('sha256', cek.subarray(0, half), aad, iv, ciphertext).subarray(0, half) };
      }
      // GCM keyed by the CEK as it is: a library choosing AES-128 from the key length would decrypt.
      return gcm(cek, bytes(12, 8), PT, aad);
    });
  }

  for (const [enc, n] of [['A256GCM', 16], ['A256GCM', 24], ['A128GCM', 32], ['A128CBC-HS256', 48], ['A256CBC-HS512', 32]] as const) {
    test(`${enc} with a ${n}-byte CEK`, async () => {
      const token = wrongCEK(enc, bytes(n, 9));
      const messages = await rejectsAll(token, KW32, ALLOW('A256KW'), 'ERR_JWE_DECRYPTION_FAILED');
      for (const m of messages) assert.equal(m, TAG_FAILURE_MESSAGE, 'the same message as a tag failure');
      // And the same as a tag failure of a correct-length CEK on this very key.
      const good = await encryptJWE(PT, KW32, { alg: 'A256KW', enc });
      const tagFailure = await rejectsAll(flipPart(good, 4), KW32, ALLOW('A256KW'), 'ERR_JWE_DECRYPTION_FAILED');
      assert.deepEqual(messages, tagFailure);
    });
  }

  test('RSA-OAEP with a 16-byte CEK labelled A256GCM', async () => {
    const rsa = pair('RSA');
    const cek = bytes(16, 10);
    const ek = publicEncrypt({ key: rsa.publicKeyObject, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, cek);
    const token = forge('{"alg":"RSA-OAEP","enc":"A256GCM"}', ek, (aad) => gcm(cek, bytes(12, 1), PT, aad));
    for (const m of await rejectsAll(token, rsa.privateJWK, ALLOW('RSA-OAEP'), 'ERR_JWE_DECRYPTION_FAILED')) assert.equal(m, TAG_FAILURE_MESSAGE);
  });
});

describe('AES-CBC-HMAC: every failure is one error with one message (THREATS.md §13)', () => {
  const key = DIR32; // dir, so the forged MAC keys are known
  const header = '{"alg":"dir","enc":"A128CBC-HS256"}';
  const macKey = key.subarray(0, 16);
  const encKey = key.subarray(16);
  const iv = bytes(16, 6);

  /** A token over `padded` (CBC without padding applied) with a valid MAC. */
  const withValidMAC = (padded: Uint8Array) =>
    forge(header, new Uint8Array(0), (aad) => {
      const ciphertext = padded.length ? cbcRaw(encKey, iv, padded) : Buffer.alloc(0);
      return { iv, ciphertext, tag: cbcMAC('sha256', macKey, aad, iv, ciphertext).subarray(0, 16) };
    });
  /** A token over raw ciphertext bytes with a valid MAC. */
  const macOver = (ciphertext: Uint8Array) =>
    forge(header, new Uint8Array(0), (aad) => ({ iv, ciphertext, tag: cbcMAC('sha256', macKey, aad, iv, ciphertext).subarray(0, 16) }));

  test('every CBC failure', async () => {
    const good = withValidMAC(pkcs7(PT));
    await decryptsEverywhere(good, key, undefined, PT);
    const block = Buffer.alloc(16, 0x41);
    const ct = Buffer.from(parts(good)[3], 'base64url');
    const tag = Buffer.from(parts(good)[4], 'base64url');
    const cases: Array<[string, string]> = [
      ['a flipped tag bit', flipPart(good, 4, 0)],
      ['a flipped ciphertext bit', flipPart(good, 3, 0)],
      ['a tag truncated to 8 bytes (a prefix of the real one)', setPart(good, 4, tag.subarray(0, 8))],
      [
        'the full 32-byte HMAC as the tag',
        forge(header, new Uint8Array(0), (aad) => {
          const c = cbcRaw(encKey, iv, pkcs7(PT));
          return { iv, ciphertext: c, tag: cbcMAC('sha256', macKey, aad, iv, c) };
        }),
      ],
      ['a tag extended by one byte', setPart(good, 4, Buffer.concat([tag, Buffer.from([0])]))],
      // Padding errors under a valid MAC: only the padding check can refuse these.
      ['padding byte 0', withValidMAC(Buffer.concat([block.subarray(0, 15), Buffer.from([0])]))],
      ['padding byte 17', withValidMAC(Buffer.concat([block.subarray(0, 15), Buffer.from([17])]))],
      ['padding byte 0xff', withValidMAC(Buffer.concat([block.subarray(0, 15), Buffer.from([0xff])]))],
      ['inconsistent padding bytes', withValidMAC(Buffer.concat([block.subarray(0, 13), Buffer.from([2, 3, 3])]))],
      ['a full padding block with one wrong byte', withValidMAC(Buffer.concat([block, Buffer.from([16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 15, 16])]))],
      ['no padding at all (plaintext a block multiple)', withValidMAC(block)],
      // Lengths under a valid MAC.
      ['a ciphertext truncated by one block', macOver(ct.subarray(0, ct.length - 16))],
      ['a ciphertext truncated by one byte (not a multiple of 16)', macOver(ct.subarray(0, ct.length - 1))],
      ['a ciphertext extended by one byte (not a multiple of 16)', macOver(Buffer.concat([ct, Buffer.from([1])]))],
      ['a 17-byte ciphertext', macOver(Buffer.alloc(17, 7))],
      ['an empty ciphertext', macOver(Buffer.alloc(0))],
      ['a ciphertext truncated without fixing the MAC', setPart(good, 3, ct.subarray(0, ct.length - 16))],
    ];
    const seen = new Set<string>();
    for (const [name, token] of cases) {
      const messages = await rejectsAll(token, key, undefined, 'ERR_JWE_DECRYPTION_FAILED').catch((err: unknown) => {
        throw new Error(`A128CBC-HS256: ${name}`, { cause: err });
      });
      for (const m of messages) seen.add(m);
    }
    assert.deepEqual([...seen], [TAG_FAILURE_MESSAGE], 'one message for every CBC failure, the same as a GCM tag failure');
  });
});

// ---------------------------------------------------------------------------------------------

describe('PBES2 (THREATS.md §8)', () => {
  const alg = 'PBES2-HS256+A128KW';
  let token = '';
  before(async () => {
    token = await encryptJWE(PT, PASSWORD, { alg, enc: 'A128GCM', p2c: 1000 });
    await decryptsEverywhere(token, PASSWORD, ALLOW(alg), PT);
  });

  test('p2c = 2^31 − 1 is refused before any work', { timeout: 20_000 }, async () => {
    const huge = withHeader(token, (h) => void (h.p2c = 2 ** 31 - 1));
    // Async first, under the test timeout: without the check this would run 2^31 iterations.
    let t0 = performance.now();
    await assert.rejects(decryptJWE(huge, PASSWORD, ALLOW(alg)), { code: 'ERR_PBES2_COUNT' });
    const firstMs = performance.now() - t0;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
    const asyncTimes: number[] = [];
    for (let i = 0; i < 9; i++) {
      t0 = performance.now();
      await assert.rejects(decryptJWE(huge, PASSWORD, ALLOW(alg)), { code: 'ERR_PBES2_COUNT' });
      asyncTimes.push(performance.now() - t0);
    }
    const syncTimes: number[] = [];
    if (platform.syncSupported) {
      for (let i = 0; i < 9; i++) {
        t0 = performance.now();
        assert.throws(() => decryptJWESync(huge, PASSWORD, ALLOW(alg)), { code: 'ERR_PBES2_COUNT' });
        syncTimes.push(performance.now() - t0);
      }
    }
    console.log(
      `# p2c = 2^31-1 refused in ${median(asyncTimes).toFixed(3)} ms (async, median of 9; first call ${firstMs.toFixed(3)} ms)` +
        (syncTimes.length ? `, ${median(syncTimes).toFixed(3)} ms (sync)` : '') +
        ` on the ${platform.name} backend; goal < 1 ms`,
    );
    assert.ok(median(asyncTimes) < 50, `refused in ${median(asyncTimes)} ms`);
    if (syncTimes.length) assert.ok(median(syncTimes) < 50, `sync refused in ${median(syncTimes)} ms`);
    await rejectsAll(huge, PASSWORD, ALLOW(alg), 'ERR_PBES2_COUNT');
  });

  test('p2c below the minimum, above the cap, or not an integer', async () => {
    for (const p2c of [999, 1, 0, -1, 1.5, 1000.5, 10_001, 2 ** 53, '1000', '2000', null, true, [1000], { n: 1000 }]) {
      await rejectsAll(withHeader(token, (h) => void (h.p2c = p2c)), PASSWORD, ALLOW(alg), 'ERR_PBES2_COUNT').catch((err: unknown) => {
        throw new Error(`p2c ${JSON.stringify(p2c)}`, { cause: err });
      });
    }
    // What JSON.stringify cannot write: a huge exponent (Infinity).
    const p = parts(token);
    const text = Buffer.from(p[0], 'base64url').toString('utf8');
    assert.ok(text.includes('"p2c":1000'));
    await rejectsAll([b64u(text.replace('"p2c":1000', '"p2c":1e400')), ...p.slice(1)].join('.'), PASSWORD, ALLOW(alg), 'ERR_PBES2_COUNT');
    // Absent: a malformed header rather than a count.
    await rejectsAll(withHeader(token, (h) => void delete h.p2c), PASSWORD, ALLOW(alg), 'ERR_HEADER_INVALID');
  });

  test('the cap is the caller’s: 10,001 iterations decrypt with a higher maxPBES2Count', async () => {
    const t10001 = await encryptJWE(PT, PASSWORD, { alg, enc: 'A128GCM', p2c: 10_001 });
    await rejectsAll(t10001, PASSWORD, ALLOW(alg), 'ERR_PBES2_COUNT');
    await rejectsAll(t10001, PASSWORD, ALLOW(alg, { maxPBES2Count: 10_000 }), 'ERR_PBES2_COUNT');
    await decryptsEverywhere(t10001, PASSWORD, ALLOW(alg, { maxPBES2Count: 10_001 }), PT);
    await decryptsEverywhere(token, PASSWORD, ALLOW(alg, { maxPBES2Count: 1000 }), PT);
    // A cap below the floor is a configuration error.
    await assert.rejects(decryptJWE(token, PASSWORD, ALLOW(alg, { maxPBES2Count: 999 })), { code: 'ERR_INVALID_ARGUMENT' });
  });

  test('a missing or malformed p2s', async () => {
    await rejectsAll(withHeader(token, (h) => void delete h.p2s), PASSWORD, ALLOW(alg), 'ERR_HEADER_INVALID');
    await rejectsAll(withHeader(token, (h) => void (h.p2s = 5)), PASSWORD, ALLOW(alg), 'ERR_HEADER_INVALID');
    await rejectsAll(withHeader(token, (h) => void (h.p2s = 'not base64url!')), PASSWORD, ALLOW(alg), 'ERR_BASE64URL_INVALID');
  });

  test('encrypting below the minimum count', async () => {
    for (const p2c of [999, 0, 1.5]) {
      await assert.rejects(encryptJWE(PT, PASSWORD, { alg, enc: 'A128GCM', p2c }), { code: 'ERR_PBES2_COUNT' });
    }
  });

  test('PBES2 is never derived from a key: it must be allowed explicitly', async () => {
    for (const key of [PASSWORD, KW16, { kty: 'oct', k: b64u(PASSWORD) }] as DecryptKey[]) {
      await rejectsAll(token, key, undefined, 'ERR_ALG_NOT_ALLOWED');
      await rejectsAll(token, key, {}, 'ERR_ALG_NOT_ALLOWED');
      await rejectsAll(token, key, { algorithms: ['A128KW', 'dir', 'PBES2-HS512+A256KW'] }, 'ERR_ALG_NOT_ALLOWED');
    }
    // Even a key bound to the PBES2 algorithm needs the allow-list.
    await rejectsAll(token, { kty: 'oct', k: b64u(PASSWORD), alg } as JWK, undefined, 'ERR_ALG_NOT_ALLOWED');
  });
});

// ---------------------------------------------------------------------------------------------

describe('DEFLATE (THREATS.md §9)', () => {
  const MB = new Uint8Array(1024 * 1024);
  let bomb = '';
  before(async () => {
    bomb = await encryptJWE(MB, DIR32, { alg: 'dir', enc: 'A256GCM', zip: 'DEF' });
    assert.equal(headerOf(parts(bomb)[0]).zip, 'DEF');
    assert.ok(bomb.length < 10_000, `1 MB of zeros compresses to a small token (${bomb.length} characters)`);
  });

  test('1 MB of zeros is refused with the default cap (250 kB)', async () => {
    await rejectsAll(bomb, DIR32, undefined, 'ERR_JWE_DECOMPRESSION_LIMIT');
  });

  test('a custom cap is honoured both ways', async () => {
    await decryptsEverywhere(bomb, DIR32, { maxDecompressedLength: MB.length }, MB);
    await decryptsEverywhere(bomb, DIR32, { maxDecompressedLength: 2 * MB.length }, MB);
    await rejectsAll(bomb, DIR32, { maxDecompressedLength: MB.length - 1 }, 'ERR_JWE_DECOMPRESSION_LIMIT');
    const small = await encryptJWE('x'.repeat(1000), DIR32, { alg: 'dir', enc: 'A256GCM', zip: 'DEF' });
    await decryptsEverywhere(small, DIR32, { maxDecompressedLength: 1000 }, 'x'.repeat(1000));
    await rejectsAll(small, DIR32, { maxDecompressedLength: 999 }, 'ERR_JWE_DECOMPRESSION_LIMIT');
    await rejectsAll(small, DIR32, { maxDecompressedLength: 1 }, 'ERR_JWE_DECOMPRESSION_LIMIT');
    // The default admits what fits under it.
    const fits = new Uint8Array(250_000);
    await decryptsEverywhere(await encryptJWE(fits, DIR32, { alg: 'dir', enc: 'A256GCM', zip: 'DEF' }), DIR32, undefined, fits);
    const over = await encryptJWE(new Uint8Array(250_001), DIR32, { alg: 'dir', enc: 'A256GCM', zip: 'DEF' });
    await rejectsAll(over, DIR32, undefined, 'ERR_JWE_DECOMPRESSION_LIMIT');
  });

  test('a bad cap is a configuration error', async () => {
    for (const maxDecompressedLength of [-1, 0, 1.5, Number.NaN, Infinity]) {
      await assert.rejects(decryptJWE(bomb, DIR32, { maxDecompressedLength }), { code: 'ERR_INVALID_ARGUMENT' });
    }
  });

  test('malformed DEFLATE data under a valid tag', async () => {
    const token = forgeDir('{"alg":"dir","enc":"A256GCM","zip":"DEF"}', 'A256GCM', DIR32, '\u00ff\u00ff\u00ff not deflate');
    await rejectsAll(token, DIR32, undefined, 'ERR_JWE_INVALID');
  });

  // The bomb must be stopped while inflating, not after: the node backend passes the cap to zlib
  // as maxOutputLength (zlib then never allocates more); the web backend reads the stream chunk by
  // chunk. Both are instrumented here: node's zlib functions, and the web DecompressionStream.
  test('inflating stops at the cap (instrumented)', async () => {
    const seen: Array<{ fn: string; maxOutputLength: number | undefined; produced: number | undefined }> = [];
    const restore: Array<() => void> = [];
    if (platform.name === 'node') {
      const zlib = createRequire(import.meta.url)('node:zlib') as Record<string, unknown>;
      for (const fn of ['inflateRawSync', 'inflateRaw']) {
        const original = zlib[fn] as (...a: unknown[]) => unknown;
        zlib[fn] = function (this: unknown, data: Uint8Array, opts?: { maxOutputLength?: number } | ((...a: unknown[]) => void), cb?: (err: unknown, out?: Uint8Array) => void) {
          const record = { fn, maxOutputLength: typeof opts === 'object' ? opts.maxOutputLength : undefined, produced: undefined as number | undefined };
          seen.push(record);
          if (fn === 'inflateRawSync') {
            const out = original.call(this, data, opts) as Uint8Array;
            record.produced = out.length;
            return out;
          }
          const callback = (typeof opts === 'function' ? opts : cb) as (err: unknown, out?: Uint8Array) => void;
          const wrapped = (err: unknown, out?: Uint8Array) => {
            record.produced = out?.length;
            callback(err, out);
          };
          return typeof opts === 'function' ? original.call(this, data, wrapped) : original.call(this, data, opts, wrapped);
        };
        restore.push(() => {
          zlib[fn] = original;
        });
      }
      syncBuiltinESMExports();
    } else {
      // Count the bytes the backend actually pulls out of the decompressor.
      const Original = globalThis.DecompressionStream;
      class Counting extends Original {
        constructor(format: CompressionFormat) {
          super(format);
          const record = { fn: 'DecompressionStream', maxOutputLength: undefined, produced: 0 };
          seen.push(record);
          const counter = new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              record.produced += chunk.length;
              controller.enqueue(chunk);
            },
          });
          const readable = super.readable.pipeThrough(counter);
          Object.defineProperty(this, 'readable', { value: readable });
        }
      }
      globalThis.DecompressionStream = Counting as typeof DecompressionStream;
      restore.push(() => {
        globalThis.DecompressionStream = Original;
      });
    }
    const before0 = process.memoryUsage();
    try {
      for (let i = 0; i < 5; i++) {
        await assert.rejects(decryptJWE(bomb, DIR32), { code: 'ERR_JWE_DECOMPRESSION_LIMIT' });
        if (platform.syncSupported) assert.throws(() => decryptJWESync(bomb, DIR32), { code: 'ERR_JWE_DECOMPRESSION_LIMIT' });
      }
    } finally {
      for (const r of restore) r();
      if (platform.name === 'node') syncBuiltinESMExports();
    }
    const after0 = process.memoryUsage();
    console.log(
      `# ${platform.name}: ${seen.length} inflate calls seen, first ${JSON.stringify(seen[0])};` +
        ` arrayBuffers ${((after0.arrayBuffers - before0.arrayBuffers) / 1024).toFixed(0)} KiB, rss ${((after0.rss - before0.rss) / 1024).toFixed(0)} KiB after the bombs`,
    );
    assert.ok(seen.length > 0, 'the backend inflates through the instrumented function');
    for (const s of seen) {
      if (platform.name === 'node') {
        assert.ok(s.maxOutputLength !== undefined && s.maxOutputLength <= 250_001, `${s.fn} is given maxOutputLength ≤ the cap (${s.maxOutputLength})`);
        assert.equal(s.produced, undefined, 'zlib produced no output: it stopped at the cap');
      } else {
        // A chunk may overshoot the cap a little before the reader stops; never the whole megabyte.
        assert.ok((s.produced ?? 0) <= 250_000 + 128 * 1024, `the reader stopped near the cap (${s.produced} bytes pulled)`);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('header places (RFC 7516 §7.2.1, THREATS.md §9, §17, §18)', () => {
  let flat: JSONish;
  before(async () => {
    flat = (await encryptFlattenedJWE(PT, KW16, { alg: 'A128KW', enc: 'A128GCM' })) as unknown as JSONish;
    await decryptsEverywhere(flat, KW16, undefined, PT);
  });

  test('zip in the shared unprotected or the recipient header, on a JWE whose plaintext is DEFLATE data', async () => {
    // The content really is compressed, unprotected: a library honouring that zip would inflate it.
    const deflated = deflateRawSync(Buffer.alloc(4096));
    const raw = (await encryptFlattenedJWE(deflated, KW16, { alg: 'A128KW', enc: 'A128GCM' })) as unknown as JSONish;
    await decryptsEverywhere(raw, KW16, undefined, deflated);
    await rejectsAll({ ...raw, unprotected: { zip: 'DEF' } }, KW16, undefined, 'ERR_JWE_INVALID');
    await rejectsAll({ ...raw, header: { zip: 'DEF' } }, KW16, undefined, 'ERR_JWE_INVALID');
    const general = toGeneral(raw) as { recipients: JSONish[] };
    await rejectsAll({ ...general, recipients: [{ ...general.recipients[0], header: { zip: 'DEF' } }] }, KW16, undefined, 'ERR_JWE_INVALID');
  });

  test('zip outside the protected header, on encrypt', async () => {
    await assert.rejects(encryptFlattenedJWE(PT, KW16, { alg: 'A128KW', enc: 'A128GCM', sharedUnprotectedHeader: { zip: 'DEF' } }), { code: 'ERR_JWE_INVALID' });
    await assert.rejects(encryptFlattenedJWE(PT, KW16, { alg: 'A128KW', enc: 'A128GCM', unprotectedHeader: { zip: 'DEF' } }), { code: 'ERR_JWE_INVALID' });
    await assert.rejects(encryptGeneralJWE(PT, [{ key: KW16, alg: 'A128KW', header: { zip: 'DEF' } }], { enc: 'A128GCM' }), { code: 'ERR_JWE_INVALID' });
  });

  test('a zip other than DEF', async () => {
    for (const zip of ['GZIP', 'def', 'DEF ', '', 'none']) {
      await rejectsAll(forgeDir(JSON.stringify({ alg: 'dir', enc: 'A256GCM', zip }), 'A256GCM', DIR32), DIR32, undefined, 'ERR_JWE_INVALID');
    }
    await rejectsAll(forgeDir('{"alg":"dir","enc":"A256GCM","zip":1}', 'A256GCM', DIR32), DIR32, undefined, 'ERR_HEADER_INVALID');
    await assert.rejects(encryptJWE(PT, DIR32, { alg: 'dir', enc: 'A256GCM', zip: 'GZIP' as 'DEF' }), { code: 'ERR_JWE_INVALID' });
    await assert.rejects(encryptJWE(PT, DIR32, { alg: 'dir', enc: 'A256GCM', protectedHeader: { zip: 'GZIP' } }), { code: 'ERR_JWE_INVALID' });
  });

  test('a parameter in two header places (decrypt)', async () => {
    const cases: Array<[string, JSONish]> = [
      ['enc in protected and unprotected', { ...flat, unprotected: { enc: 'A128GCM' } }],
      ['alg in protected and the recipient header', { ...flat, header: { alg: 'A128KW' } }],
      ['kid in unprotected and the recipient header', { ...flat, unprotected: { kid: 'a' }, header: { kid: 'a' } }],
      ['kid in unprotected and the recipient header, different values', { ...flat, unprotected: { kid: 'a' }, header: { kid: 'b' } }],
      ['an extension member in two places', { ...flat, unprotected: { 'urn:x': 1 }, header: { 'urn:x': 1 } }],
    ];
    for (const [name, jwe] of cases) {
      await rejectsAll(jwe, KW16, undefined, 'ERR_JWE_INVALID').catch((err: unknown) => {
        throw new Error(name, { cause: err });
      });
    }
    // A protected member repeated in an unprotected place (where a lenient reader might take it).
    const withKid = (await encryptFlattenedJWE(PT, KW16, { alg: 'A128KW', enc: 'A128GCM', protectedHeader: { kid: 'p' } })) as unknown as JSONish;
    await decryptsEverywhere(withKid, KW16, undefined, PT);
    await rejectsAll({ ...withKid, unprotected: { kid: 'p' } }, KW16, undefined, 'ERR_JWE_INVALID');
    await rejectsAll({ ...withKid, header: { kid: 'evil' } }, KW16, undefined, 'ERR_JWE_INVALID');
    // General: a second recipient's header repeating the shared unprotected header.
    const general = (await encryptGeneralJWE(PT, [{ key: KW16, alg: 'A128KW' }, { key: KW32, alg: 'A256KW' }], {
      enc: 'A128GCM',
      sharedUnprotectedHeader: { cty: 'x' },
    })) as unknown as JSONish & { recipients: JSONish[] };
    await decryptsEverywhere(general, KW32, undefined, PT);
    const recipients = general.recipients.map((r, i) => (i === 1 ? { ...r, header: { ...(r.header as JSONish), cty: 'x' } } : r));
    await rejectsAll({ ...general, recipients }, KW32, undefined, 'ERR_JWE_INVALID');
  });

  test('a parameter in two header places (encrypt)', async () => {
    await assert.rejects(
      encryptFlattenedJWE(PT, KW16, { alg: 'A128KW', enc: 'A128GCM', protectedHeader: { kid: 'a' }, unprotectedHeader: { kid: 'a' } }),
      { code: 'ERR_JWE_INVALID' },
    );
    await assert.rejects(
      encryptFlattenedJWE(PT, KW16, { alg: 'A128KW', enc: 'A128GCM', sharedUnprotectedHeader: { kid: 'a' }, unprotectedHeader: { kid: 'b' } }),
      { code: 'ERR_JWE_INVALID' },
    );
    await assert.rejects(encryptGeneralJWE(PT, [{ key: KW16, alg: 'A128KW', header: { typ: 'a' } }], { enc: 'A128GCM', protectedHeader: { typ: 'b' } }), {
      code: 'ERR_JWE_INVALID',
    });
  });

  test('crit outside the protected header', async () => {
    await rejectsAll({ ...flat, unprotected: { crit: ['urn:x'], 'urn:x': 1 } }, KW16, { crit: ['urn:x'] }, 'ERR_CRIT_INVALID');
    await rejectsAll({ ...flat, header: { crit: ['urn:x'], 'urn:x': 1 } }, KW16, { crit: ['urn:x'] }, 'ERR_CRIT_INVALID');
  });
});

describe('recipients of dir and ECDH-ES (RFC 7516 §7.2.1)', () => {
  test('encrypt: dir or ECDH-ES with more than one recipient', async () => {
    const p = pair('P-256');
    for (const recipients of [
      [{ key: DIR32, alg: 'dir' }, { key: KW16, alg: 'A128KW' }],
      [{ key: KW16, alg: 'A128KW' }, { key: DIR32, alg: 'dir' }],
      [{ key: DIR32, alg: 'dir' }, { key: DIR32, alg: 'dir' }],
      [{ key: p.publicJWK, alg: 'ECDH-ES' }, { key: KW16, alg: 'A128KW' }],
      [{ key: KW16, alg: 'A128KW' }, { key: p.publicJWK, alg: 'ECDH-ES' }],
    ]) {
      await assert.rejects(encryptGeneralJWE(PT, recipients, { enc: 'A256GCM' }), { code: 'ERR_JWE_INVALID' }, JSON.stringify(recipients.map((r) => r.alg)));
    }
    // One of them alone is fine, and ECDH-ES with key wrapping among several is fine.
    await encryptGeneralJWE(PT, [{ key: DIR32, alg: 'dir' }], { enc: 'A256GCM' });
    await encryptGeneralJWE(PT, [{ key: p.publicJWK, alg: 'ECDH-ES+A128KW' }, { key: KW16, alg: 'A128KW' }], { enc: 'A256GCM' });
  });

  test('decrypt: dir or ECDH-ES among several recipients', async () => {
    const p = pair('P-256');
    const general = (await encryptGeneralJWE(PT, [{ key: KW16, alg: 'A128KW' }, { key: KW32, alg: 'A256KW' }], { enc: 'A256GCM' })) as unknown as JSONish & {
      recipients: JSONish[];
    };
    await decryptsEverywhere(general, KW16, undefined, PT);
    const ecdhRecipient: JSONish = { header: { alg: 'ECDH-ES', epk: pair('P-256').publicJWK } };
    for (const [name, recipients, key] of [
      ['dir first', [{ header: { alg: 'dir' } }, general.recipients[1]], DIR32],
      ['dir second', [general.recipients[0], { header: { alg: 'dir' } }], KW16],
      ['two dir', [{ header: { alg: 'dir' } }, { header: { alg: 'dir' } }], DIR32],
      ['ECDH-ES second', [general.recipients[0], ecdhRecipient], KW16],
      ['ECDH-ES first', [ecdhRecipient, general.recipients[1]], p.privateJWK],
    ] as Array<[string, JSONish[], DecryptKey]>) {
      await rejectsAll({ ...general, recipients }, key, undefined, 'ERR_JWE_INVALID').catch((err: unknown) => {
        throw new Error(name, { cause: err });
      });
    }
  });

  test('recipients that disagree on enc', async () => {
    const general = (await encryptGeneralJWE(PT, [{ key: KW16, alg: 'A128KW' }, { key: KW32, alg: 'A256KW' }], { enc: 'A256GCM' })) as unknown as JSONish & {
      recipients: JSONish[];
    };
    const protectedHeader = headerOf(general.protected as string);
    delete protectedHeader.enc;
    const recipients = general.recipients.map((r, i) => ({ ...r, header: { ...(r.header as JSONish), enc: i ? 'A128GCM' : 'A256GCM' } }));
    await rejectsAll({ ...general, protected: b64u(JSON.stringify(protectedHeader)), recipients }, KW16, undefined, 'ERR_JWE_INVALID');
  });

  test('a dir or ECDH-ES token with an encrypted key', async () => {
    const token = await encryptJWE(PT, DIR32, { alg: 'dir', enc: 'A256GCM' });
    await rejectsAll(setPart(token, 1, bytes(16, 1)), DIR32, undefined, 'ERR_JWE_INVALID');
    const p = pair('P-256');
    const ecdh = await encryptJWE(PT, p.publicJWK, { alg: 'ECDH-ES', enc: 'A256GCM' });
    await rejectsAll(setPart(ecdh, 1, bytes(16, 1)), p.privateJWK, ALLOW('ECDH-ES'), 'ERR_JWE_INVALID');
  });
});

// ---------------------------------------------------------------------------------------------

describe('protected header JSON and crit (THREATS.md §16, §17)', () => {
  for (const [name, header] of [
    ['a duplicate enc', '{"alg":"dir","enc":"A256GCM","enc":"A256GCM"}'],
    ['"enc" vs "\\u0065nc"', '{"alg":"dir","\\u0065nc":"A128GCM","enc":"A256GCM"}'],
    ['a duplicate alg', '{"alg":"dir","alg":"dir","enc":"A256GCM"}'],
    ['a duplicate zip', '{"alg":"dir","enc":"A256GCM","zip":"DEF","zip":"DEF"}'],
    ['a duplicate inside epk', '{"alg":"dir","enc":"A256GCM","epk":{"kty":"EC","kty":"OKP"}}'],
  ] as const) {
    test(name, async () => {
      await rejectsAll(forgeDir(header, 'A256GCM', DIR32), DIR32, undefined, 'ERR_JSON_DUPLICATE_MEMBER');
    });
  }

  test('a protected header that is not a JSON object', async () => {
    for (const header of ['[]', '"dir"', 'null', '{"alg":"dir","enc":"A256GCM"}x', '{"alg":"dir","enc":"A256GCM","kid":"\\ud800"}']) {
      await rejectsAll(forgeDir(header, 'A256GCM', DIR32), DIR32, undefined, 'ERR_JSON_INVALID');
    }
  });

  test('an unknown crit', async () => {
    const token = forgeDir('{"alg":"dir","enc":"A256GCM","crit":["urn:x"],"urn:x":1}', 'A256GCM', DIR32);
    await decryptsEverywhere(token, DIR32, { crit: ['urn:x'] }, 'forged');
    await rejectsAll(token, DIR32, undefined, 'ERR_CRIT_UNSUPPORTED');
    await rejectsAll(token, DIR32, { crit: [] }, 'ERR_CRIT_UNSUPPORTED');
    await rejectsAll(token, DIR32, { crit: ['urn:y', 'URN:X'] }, 'ERR_CRIT_UNSUPPORTED');
  });

  test('crit shape', async () => {
    for (const header of [
      '{"alg":"dir","enc":"A256GCM","crit":[]}',
      '{"alg":"dir","enc":"A256GCM","crit":["zip"],"zip":"DEF"}',
      '{"alg":"dir","enc":"A256GCM","crit":["enc"]}',
      '{"alg":"dir","enc":"A256GCM","crit":["urn:x","urn:x"],"urn:x":1}',
      '{"alg":"dir","enc":"A256GCM","crit":["urn:x"]}',
      '{"alg":"dir","enc":"A256GCM","crit":"urn:x","urn:x":1}',
    ]) {
      await rejectsAll(forgeDir(header, 'A256GCM', DIR32), DIR32, { crit: ['urn:x', 'zip', 'enc'] }, 'ERR_CRIT_INVALID');
    }
  });
});

describe('alg, enc and keys', () => {
  test('missing enc or alg', async () => {
    await rejectsAll(forgeDir('{"alg":"dir"}', 'A256GCM', DIR32), DIR32, undefined, 'ERR_JWE_INVALID');
    await rejectsAll(forgeDir('{"alg":"dir"}', 'A256GCM', DIR32), DIR32, { algorithms: ['dir'], encryptions: ['A256GCM'] }, 'ERR_JWE_INVALID');
    await rejectsAll(forgeDir('{"enc":"A256GCM"}', 'A256GCM', DIR32), DIR32, undefined, 'ERR_JWE_INVALID');
    await rejectsAll(forgeDir('{}', 'A256GCM', DIR32), DIR32, undefined, 'ERR_JWE_INVALID');
    await assert.rejects(encryptJWE(PT, DIR32, { alg: 'dir' } as never), { code: 'ERR_JWE_INVALID' });
  });

  test('enc not allowed, unknown or of the wrong type', async () => {
    const token = await encryptJWE(PT, DIR32, { alg: 'dir', enc: 'A256GCM' });
    await rejectsAll(token, DIR32, { encryptions: ['A128GCM'] }, 'ERR_ALG_NOT_ALLOWED');
    await rejectsAll(token, DIR32, { encryptions: [] }, 'ERR_ALG_NOT_ALLOWED');
    await rejectsAll(token, DIR32, { encryptions: ['a256gcm', 'A256GCM '] }, 'ERR_ALG_NOT_ALLOWED');
    for (const enc of ['A512GCM', 'A256CBC', 'A256CBC-HS256', 'none', 'A256GCMKW', 'dir']) {
      await rejectsAll(forgeDir(JSON.stringify({ alg: 'dir', enc }), 'A256GCM', DIR32), DIR32, undefined, 'ERR_ALG_UNSUPPORTED');
    }
    await rejectsAll(forgeDir('{"alg":"dir","enc":256}', 'A256GCM', DIR32), DIR32, undefined, 'ERR_HEADER_INVALID');
    await assert.rejects(encryptJWE(PT, DIR32, { alg: 'dir', enc: 'A512GCM' }), { code: 'ERR_ALG_UNSUPPORTED' });
  });

  test('alg not allowed or unknown', async () => {
    const token = await encryptJWE(PT, KW16, { alg: 'A128KW', enc: 'A128GCM' });
    await rejectsAll(token, KW16, { algorithms: ['A256KW'] }, 'ERR_ALG_NOT_ALLOWED');
    await rejectsAll(token, KW16, { algorithms: [] }, 'ERR_ALG_NOT_ALLOWED');
    await rejectsAll(token, { kty: 'oct', k: b64u(KW16), alg: 'A128GCMKW' } as JWK, undefined, 'ERR_ALG_NOT_ALLOWED');
    for (const alg of ['none', 'A512KW', 'HS256', 'ECDH', 'RSA-OAEP-1', 'a128kw']) {
      await rejectsAll(withHeader(token, (h) => void (h.alg = alg)), KW16, undefined, 'ERR_ALG_UNSUPPORTED');
      await rejectsAll(withHeader(token, (h) => void (h.alg = alg)), KW16, { algorithms: [alg] }, 'ERR_ALG_UNSUPPORTED');
    }
  });

  test('RSA1_5 is not supported (Bleichenbacher, Marvin)', async () => {
    const rsa = pair('RSA');
    const cek = bytes(32, 3);
    const ek = publicEncrypt({ key: rsa.publicKeyObject, padding: constants.RSA_PKCS1_PADDING }, cek);
    const token = forge('{"alg":"RSA1_5","enc":"A128CBC-HS256"}', ek, (aad) => encryptContent('A128CBC-HS256', cek, bytes(16, 3), PT, aad));
    await rejectsAll(token, rsa.privateJWK, undefined, 'ERR_ALG_UNSUPPORTED');
    await rejectsAll(token, rsa.privateJWK, ALLOW('RSA1_5'), 'ERR_ALG_UNSUPPORTED');
    await rejectsAll(token, { ...rsa.privateJWK, alg: 'RSA1_5' }, undefined, 'ERR_ALG_UNSUPPORTED');
    await assert.rejects(encryptJWE(PT, rsa.publicJWK, { alg: 'RSA1_5', enc: 'A128CBC-HS256' }), { code: 'ERR_ALG_UNSUPPORTED' });
  });

  test('an allow-list given as a string is refused, not matched by substring', async () => {
    // "RSA-OAEP-256".includes("RSA-OAEP"): a string would let SHA-1 OAEP through.
    const rsa = pair('RSA');
    const oaep = await encryptJWE(PT, rsa.publicJWK, { alg: 'RSA-OAEP', enc: 'A256GCM' });
    await rejectsAll(oaep, rsa.privateJWK, { algorithms: 'RSA-OAEP-256' as unknown as string[] }, 'ERR_INVALID_ARGUMENT');
    await rejectsAll(oaep, rsa.privateJWK, { algorithms: ['RSA-OAEP'], encryptions: 'A256GCM' as unknown as string[] }, 'ERR_INVALID_ARGUMENT');
    const kw = await encryptJWE(PT, KW16, { alg: 'A128KW', enc: 'A128GCM' });
    await rejectsAll(kw, KW16, { algorithms: 'A128KW' as unknown as string[] }, 'ERR_INVALID_ARGUMENT');
    // "tenants".includes("tenant"): a string of understood extensions would accept this one.
    const crit = await encryptJWE(PT, KW16, { alg: 'A128KW', enc: 'A128GCM', protectedHeader: { crit: ['tenant'], tenant: 'a' } });
    await rejectsAll(crit, KW16, { algorithms: ['A128KW'], crit: 'tenants' as unknown as string[] }, 'ERR_INVALID_ARGUMENT');
  });

  test('a key of the wrong type for alg (decrypt)', async () => {
    const rsa = pair('RSA');
    const oaep = await encryptJWE(PT, rsa.publicJWK, { alg: 'RSA-OAEP', enc: 'A256GCM' });
    await rejectsAll(oaep, pair('P-256').privateJWK, ALLOW('RSA-OAEP'), 'ERR_KEY_TYPE_MISMATCH');
    await rejectsAll(oaep, KW32, ALLOW('RSA-OAEP'), 'ERR_KEY_TYPE_MISMATCH');
    await rejectsAll(oaep, pair('P-256').privateJWK, undefined, 'ERR_ALG_NOT_ALLOWED');
    // A public key cannot decrypt.
    await rejectsAll(oaep, rsa.publicJWK, ALLOW('RSA-OAEP'), 'ERR_KEY_PRIVATE_REQUIRED');

    const kw = await encryptJWE(PT, KW16, { alg: 'A128KW', enc: 'A128GCM' });
    await rejectsAll(kw, rsa.privateJWK, ALLOW('A128KW'), 'ERR_KEY_TYPE_MISMATCH');
    await rejectsAll(kw, pair('P-256').privateJWK, ALLOW('A128KW'), 'ERR_KEY_TYPE_MISMATCH');

    const kw256 = await encryptJWE(PT, KW32, { alg: 'A256KW', enc: 'A128GCM' });
    await rejectsAll(kw256, KW16, ALLOW('A256KW'), 'ERR_KEY_TYPE_MISMATCH');
    await rejectsAll(kw256, KW24, ALLOW('A256KW'), 'ERR_KEY_TYPE_MISMATCH');
    await rejectsAll(kw256, DIR64, ALLOW('A256KW'), 'ERR_KEY_TYPE_MISMATCH');
    await rejectsAll(kw256, KW16, undefined, 'ERR_ALG_NOT_ALLOWED');

    // An X25519 key for an ECDH-ES token whose epk is P-256: the epk does not match the key.
    const ecdh = await encryptJWE(PT, pair('P-256').publicJWK, { alg: 'ECDH-ES', enc: 'A256GCM' });
    await rejectsAll(ecdh, xPair('X25519').privateJWK, ALLOW('ECDH-ES'), 'ERR_JWE_EPK_INVALID');
    await rejectsAll(ecdh, pair('P-384').privateJWK, ALLOW('ECDH-ES'), 'ERR_JWE_EPK_INVALID');
    await rejectsAll(ecdh, rsa.privateJWK, ALLOW('ECDH-ES'), 'ERR_KEY_TYPE_MISMATCH');
    await rejectsAll(ecdh, KW32, ALLOW('ECDH-ES'), 'ERR_KEY_TYPE_MISMATCH');
    // An Ed25519 key is an OKP key but not a key-agreement one.
    await rejectsAll(ecdh, pair('Ed25519').privateJWK, ALLOW('ECDH-ES'), 'ERR_KEY_TYPE_MISMATCH');
    // A key whose use is "sig".
    await rejectsAll(kw, { kty: 'oct', k: b64u(KW16), use: 'sig' } as JWK, ALLOW('A128KW'), 'ERR_KEY_USAGE');
  });

  test('dir with a key of another length than enc needs', async () => {
    const token = forgeDir('{"alg":"dir","enc":"A256GCM"}', 'A256GCM', DIR32);
    await rejectsAll(token, KW16, ALLOW('dir'), 'ERR_KEY_TYPE_MISMATCH');
    await rejectsAll(token, DIR64, ALLOW('dir'), 'ERR_KEY_TYPE_MISMATCH');
    await assert.rejects(encryptJWE(PT, KW16, { alg: 'dir', enc: 'A256GCM' }), { code: 'ERR_KEY_TYPE_MISMATCH' });
  });

  test('a key of the wrong type for alg (encrypt)', async () => {
    const rsa = pair('RSA');
    const cases: Array<[string, Uint8Array | JWK, string]> = [
      ['RSA-OAEP', pair('P-256').publicJWK, 'ERR_KEY_TYPE_MISMATCH'],
      ['RSA-OAEP-256', KW32, 'ERR_KEY_TYPE_MISMATCH'],
      ['A128KW', rsa.publicJWK, 'ERR_KEY_TYPE_MISMATCH'],
      ['A256KW', KW16, 'ERR_KEY_TYPE_MISMATCH'],
      ['A128GCMKW', KW32, 'ERR_KEY_TYPE_MISMATCH'],
      ['ECDH-ES', rsa.publicJWK, 'ERR_KEY_TYPE_MISMATCH'],
      ['ECDH-ES', pair('Ed25519').publicJWK, 'ERR_KEY_TYPE_MISMATCH'],
      ['ECDH-ES+A128KW', KW16, 'ERR_KEY_TYPE_MISMATCH'],
      ['PBES2-HS256+A128KW', rsa.publicJWK, 'ERR_KEY_TYPE_MISMATCH'],
    ];
    for (const [alg, key, code] of cases) {
      await assert.rejects(encryptJWE(PT, key, { alg, enc: 'A128GCM' }), { code }, alg);
      await assert.rejects(
        createEncrypter(key, { alg, enc: 'A128GCM' }).then((e) => e.encrypt(PT)),
        { code },
        `${alg} (factory)`,
      );
      if (platform.syncSupported) assert.throws(() => encryptJWESync(PT, key, { alg, enc: 'A128GCM' }), { code }, `${alg} (sync)`);
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('serialization and size (THREATS.md §11, §18, §26)', () => {
  test('a compact JWS is not a JWE', async () => {
    const jws = await signJWS('{"sub":"ada"}', DIR32, { alg: 'HS256' });
    await rejectsAll(jws, DIR32, undefined, 'ERR_JWE_INVALID', false);
    await rejectsAll(jws, DIR32, { algorithms: ['dir', 'HS256'] }, 'ERR_JWE_INVALID', false);
    const flatJWS = (await signFlattenedJWS('{"sub":"ada"}', DIR32, { alg: 'HS256' })) as unknown as JSONish;
    for (const [name, run] of flattenedEntries(flatJWS)) {
      await assert.rejects(run(DIR32, undefined), { code: 'ERR_JWE_INVALID' }, name);
    }
    const generalJWS = (await signGeneralJWS('{"sub":"ada"}', [{ key: DIR32, options: { alg: 'HS256' } }])) as unknown as JSONish;
    for (const [name, run] of generalEntries(generalJWS)) {
      await assert.rejects(run(DIR32, undefined), { code: 'ERR_JWE_INVALID' }, name);
    }
  });

  test('the wrong number of parts, or not a string', async () => {
    const token = await encryptJWE(PT, KW16, { alg: 'A128KW', enc: 'A128GCM' });
    for (const bad of [token.split('.').slice(0, 4).join('.'), `${token}.`, `${token}.x`, token.replace(/\./g, ''), '', '....', '.....']) {
      await rejectsAll(bad, KW16, undefined, 'ERR_JWE_INVALID', false);
    }
    for (const notString of [undefined, null, 1, {}, Buffer.from(token)]) {
      await assert.rejects(decryptJWE(notString as never, KW16), { code: 'ERR_JWE_INVALID' });
    }
    for (const notObject of [undefined, null, [], 1, true]) {
      await assert.rejects(decryptFlattenedJWE(notObject, KW16), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(decryptGeneralJWE(notObject, KW16), { code: 'ERR_JWE_INVALID' });
    }
    // The JSON serializations also take JSON text: a compact token is not JSON.
    for (const text of ['x', token, '[]', '"x"']) {
      await assert.rejects(decryptFlattenedJWE(text, KW16), { code: 'ERR_JSON_INVALID' });
      await assert.rejects(decryptGeneralJWE(text, KW16), { code: 'ERR_JSON_INVALID' });
    }
  });

  test('an oversize token', async () => {
    const big = new Uint8Array(200_000).fill(0x61);
    const token = await encryptJWE(big, DIR32, { alg: 'dir', enc: 'A256GCM' });
    assert.ok(token.length > 262_144, `fixture is over the default (${token.length})`);
    await rejectsAll(token, DIR32, undefined, 'ERR_TOKEN_TOO_LARGE', false);
    await decryptsEverywhere(token, DIR32, { maxTokenLength: token.length }, big, false);
    const small = await encryptJWE(PT, DIR32, { alg: 'dir', enc: 'A256GCM' });
    await rejectsAll(small, DIR32, { maxTokenLength: small.length - 1 }, 'ERR_TOKEN_TOO_LARGE', false);
    await decryptsEverywhere(small, DIR32, { maxTokenLength: small.length }, PT, false);
  });

  test('an oversize protected header', async () => {
    const token = await encryptJWE(PT, DIR32, { alg: 'dir', enc: 'A256GCM', protectedHeader: { 'urn:pad': 'p'.repeat(7000) } });
    await rejectsAll(token, DIR32, undefined, 'ERR_HEADER_TOO_LARGE');
    const h = parts(token)[0];
    await decryptsEverywhere(token, DIR32, { maxHeaderLength: h.length }, PT);
    await rejectsAll(token, DIR32, { maxHeaderLength: h.length - 1 }, 'ERR_HEADER_TOO_LARGE');
  });

  describe('strict base64url in every part (THREATS.md §11)', () => {
    /** Ways to spell the same bytes, or no bytes, in non-canonical base64url (as in the JWS suite). */
    function variants(seg: string): Array<[string, string]> {
      const out: Array<[string, string]> = [];
      const std = Buffer.from(seg, 'base64url').toString('base64');
      if (std.endsWith('=')) out.push(['padding', std.replace(/\+/g, '-').replace(/\//g, '_')]);
      out.push(['a single "="', `${seg}=`]);
      if (seg.includes('-')) out.push(['"+"', seg.replace(/-/g, '+')]);
      if (seg.includes('_')) out.push(['"/"', seg.replace(/_/g, '/')]);
      out.push(['standard base64', std]);
      const mid = seg.length >> 1;
      out.push(['a space', `${seg.slice(0, mid)} ${seg.slice(mid)}`]);
      out.push(['a newline', `${seg.slice(0, mid)}\n${seg.slice(mid)}`]);
      out.push(['a CRLF at the end', `${seg}\r\n`]);
      out.push(['a tab', `\t${seg}`]);
      out.push(['a non-ASCII letter', `${seg.slice(0, mid)}é${seg.slice(mid)}`]);
      out.push(['a NUL', `${seg}\u0000`]);
      let extra = seg;
      while (extra.length % 4 !== 1) extra += 'A';
      out.push(['an impossible length', extra]);
      const rem = seg.length % 4;
      if (rem === 2 || rem === 3) {
        const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
        const v = ALPHABET.indexOf(seg.slice(-1));
        out.push(['a non-canonical last character', seg.slice(0, -1) + ALPHABET[v | 1]]);
      }
      return out.filter(([, s]) => s !== seg);
    }

    const NAMES = ['protected header', 'encrypted key', 'IV', 'ciphertext', 'tag'];
    for (const [i, name] of NAMES.entries()) {
      test(name, async () => {
        // A token whose part i holds '-' and '_' and has a length ≢ 0 mod 4, so every variant applies.
        let token = '';
        for (let n = 0; n < 5000; n++) {
          token = await fixtureToken(PT.subarray(0, 20 + (n % 7)), n);
          const seg = parts(token)[i] as string;
          if (seg.includes('-') && seg.includes('_') && seg.length % 4 >= 2) break;
        }
        const seg = parts(token)[i] as string;
        const kinds = variants(seg);
        assert.ok(kinds.some(([k]) => k === 'a non-canonical last character'), 'the fixture reaches every kind');
        for (const [kind, bad] of kinds) {
          const p = parts(token);
          p[i] = bad;
          await rejectsAll(p.join('.'), KW16, undefined, 'ERR_BASE64URL_INVALID').catch((err: unknown) => {
            throw new Error(`${name} with ${kind}`, { cause: err });
          });
        }
      });
    }

    /** An A128KW + A128CBC-HS256 token with a varying kid (sync where the backend has it: this loops). */
    async function fixtureToken(plaintext: Uint8Array, n: number): Promise<string> {
      const options = { alg: 'A128KW', enc: 'A128CBC-HS256', protectedHeader: { kid: `k${'?>~'.repeat(n % 9)}${n}` } };
      return platform.syncSupported ? encryptJWESync(plaintext, KW16, options) : encryptJWE(plaintext, KW16, options);
    }

    test('the JSON-only aad member', async () => {
      let flat: JSONish = {};
      for (let n = 0; n < 500; n++) {
        flat = (await encryptFlattenedJWE(PT, KW16, { alg: 'A128KW', enc: 'A128GCM', aad: bytes(10 + (n % 5), n) })) as unknown as JSONish;
        const a = flat.aad as string;
        if (a.includes('-') && a.includes('_') && a.length % 4 >= 2) break;
      }
      for (const [kind, bad] of variants(flat.aad as string)) {
        await rejectsAll({ ...flat, aad: bad }, KW16, undefined, 'ERR_BASE64URL_INVALID').catch((err: unknown) => {
          throw new Error(`aad with ${kind}`, { cause: err });
        });
      }
    });
  });
});
