// The cases and their contenders. Every contender of a case does the same job on the same bytes;
// what differs is the library. Each one is run once and its output checked before it is timed.
import { createHmac, sign as nodeSign, timingSafeEqual, verify as nodeVerify } from 'node:crypto';
import { webcrypto } from 'node:crypto';
import { CLAIMS, PAYLOAD, assertClaims, assertToken, material } from './fixtures.mjs';
import { assertJWE, assertPlaintext, jweMaterial } from './jwe-fixtures.mjs';

/** Targets (printed as PASS/FAIL next to the results; see docs/benchmarks.md). */
export const TARGETS = {
  hmacSync: 0.5, // HS256 tessera sync ≥ 0.5 × raw
  asymSync: 0.9, // asymmetric tessera sync ≥ 0.9 × raw
  jwkEachCall: 0.8, // verify with a JWK each call ≥ 0.8 × the warm key
  asyncVsSync: 0.8, // tessera async ≥ 0.8 × tessera sync
  inflight: 1.5, // RS256 sign, 8 in flight ≥ 1.5 × single-threaded raw
  jweRaw: 0.7, // every JWE case, every tessera contender ≥ 0.7 × raw
  jweJose: 5, // symmetric JWE cases (dir, AES-KW): every tessera contender ≥ 5 × jose
};

const target = (ratio, ref, label = ref) => ({ ratio, ref, label });

/** Everything each library needs for one algorithm, imported once (the "warm" state). */
export async function setup(alg, libs) {
  const { t, jose } = libs;
  const m = material(alg);
  const oct = m.spec.family === 'oct';
  const signOptions = Object.freeze({ alg, protectedHeader: Object.freeze({ typ: 'JWT' }) });
  const verifyOptions = Object.freeze({ algorithms: Object.freeze([alg]) });
  const tPrivate = t.importJWKSync(m.privateJWK);
  const tPublic = oct ? tPrivate : t.importJWKSync(m.publicJWK);
  const hmacKey = oct
    ? await webcrypto.subtle.importKey('raw', m.secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])
    : undefined;
  const token = t.createSignerSync(tPrivate, signOptions).signSync(PAYLOAD);
  assertToken(m, token);
  const parts = token.split('.');
  return {
    ...m,
    oct,
    token,
    signature: Buffer.from(parts[2], 'base64url'),
    signOptions,
    verifyOptions,
    tPrivate,
    tPublic,
    signer: t.createSignerSync(tPrivate, signOptions),
    verifier: t.createVerifierSync(tPublic, verifyOptions),
    joseSignKey: oct ? hmacKey : await jose.importJWK(m.privateJWK, alg),
    joseVerifyKey: oct ? hmacKey : await jose.importJWK(m.publicJWK, alg),
  };
}

function syncTarget(s) {
  return s.oct
    ? target(TARGETS.hmacSync, 'raw')
    : target(TARGETS.asymSync, 'raw');
}

/** Sign: the same claims, header {alg, typ: "JWT"}; raw is the primitive over the signing input. */
export function signContenders(s, { t, jose, fastJwt, jsonwebtoken }) {
  const header = { alg: s.alg, typ: 'JWT' };
  const fastSigner = fastJwt.createSigner({ key: s.oct ? s.secret : s.privatePEM, algorithm: s.alg, noTimestamp: true });
  const jwtKey = s.oct ? s.secret : s.privateKey;
  const list = [
    { name: 'raw node:crypto', raw: true, mode: 'sync', fn: s.rawSign, check: (sig) => s.rawVerifySig(s.input, sig) || fail('raw') },
    { name: 'tessera factory sync', mode: 'sync', fn: () => s.signer.signSync(PAYLOAD), check: (tok) => assertToken(s, tok), target: syncTarget(s) },
    { name: 'tessera sync', mode: 'sync', fn: () => t.signJWSSync(PAYLOAD, s.tPrivate, s.signOptions), check: (tok) => assertToken(s, tok), target: syncTarget(s) },
    { name: 'tessera factory async', mode: 'async', fn: () => s.signer.sign(PAYLOAD), check: (tok) => assertToken(s, tok), target: target(TARGETS.asyncVsSync, 'tessera factory sync') },
    { name: 'tessera async', mode: 'async', fn: () => t.signJWS(PAYLOAD, s.tPrivate, s.signOptions), check: (tok) => assertToken(s, tok), target: target(TARGETS.asyncVsSync, 'tessera sync') },
    { name: 'jose', mode: 'async', fn: () => new jose.CompactSign(PAYLOAD).setProtectedHeader(header).sign(s.joseSignKey), check: (tok) => assertToken(s, tok) },
    { name: 'fast-jwt', mode: 'sync', fn: () => fastSigner(CLAIMS), check: (tok) => assertToken(s, tok) },
  ];
  if (s.alg !== 'EdDSA') {
    // jsonwebtoken 9 has no EdDSA.
    list.push({ name: 'jsonwebtoken', mode: 'sync', fn: () => jsonwebtoken.sign(CLAIMS, jwtKey, { algorithm: s.alg, noTimestamp: true }), check: (tok) => assertToken(s, tok) });
  }
  if (s.spec.family === 'RSA') {
    // tessera's async API signs RSA on the thread pool: this is the floor for that, one at a time.
    list.splice(1, 0, { name: 'raw node:crypto async (pool)', mode: 'async', fn: rawSignAsync(s), check: (sig) => s.rawVerifySig(s.input, sig) || fail('raw async') });
  }
  return list;
}

function rawVerify(s) {
  const { input, signature } = s;
  if (s.oct) {
    return () => {
      const mac = createHmac('sha256', s.secret).update(input).digest();
      return mac.length === signature.length && timingSafeEqual(mac, signature);
    };
  }
  return () => nodeVerify(s.spec.hash, input, s.verifyOpts, signature);
}

const checkTrue = (name) => (ok) => ok === true || fail(name);

/** Verify: all contenders verify the one token tessera signed (header {alg, typ: "JWT"}). */
export function verifyContenders(s, { t, jose, fastJwt, jsonwebtoken }) {
  const { token, verifyOptions } = s;
  const fastVerifier = fastJwt.createVerifier({ key: s.oct ? s.secret : s.publicPEM, algorithms: [s.alg], cache: false });
  const jwtKey = s.oct ? s.secret : s.publicKey;
  const jwtOptions = { algorithms: [s.alg] };
  const claims = (r) => assertClaims(s, r.payload);
  const list = [
    { name: 'raw node:crypto', raw: true, mode: 'sync', fn: rawVerify(s), check: checkTrue('raw') },
    { name: 'tessera factory sync', mode: 'sync', fn: () => s.verifier.verifySync(token), check: claims, target: syncTarget(s) },
    { name: 'tessera sync', mode: 'sync', fn: () => t.verifyJWSSync(token, s.tPublic, verifyOptions), check: claims, target: syncTarget(s) },
    { name: 'tessera factory async', mode: 'async', fn: () => s.verifier.verify(token), check: claims, target: target(TARGETS.asyncVsSync, 'tessera factory sync') },
    { name: 'tessera async', mode: 'async', fn: () => t.verifyJWS(token, s.tPublic, verifyOptions), check: claims, target: target(TARGETS.asyncVsSync, 'tessera sync') },
    { name: 'jose', mode: 'async', fn: () => jose.compactVerify(token, s.joseVerifyKey, verifyOptions), check: claims },
    { name: 'fast-jwt', mode: 'sync', fn: () => fastVerifier(token), check: (p) => assertClaims(s, p) },
  ];
  if (s.alg !== 'EdDSA') {
    list.push({ name: 'jsonwebtoken', mode: 'sync', fn: () => jsonwebtoken.verify(token, jwtKey, jwtOptions), check: (p) => assertClaims(s, p) });
  }
  return list;
}

/**
 * Verify with the key given as a JWK on every call: the same object each time (identity cache),
 * or a new object with the same members each time (content cache), against the warm key.
 */
export function jwkContenders(s, { t, jose }) {
  const { token, verifyOptions, alg } = s;
  const jwk = s.publicJWK;
  const claims = (r) => assertClaims(s, r.payload);
  const warmSync = 'tessera sync, warm key';
  const warmAsync = 'tessera async, warm key';
  return [
    { name: 'raw node:crypto', raw: true, mode: 'sync', fn: rawVerify(s), check: checkTrue('raw') },
    { name: warmSync, mode: 'sync', fn: () => t.verifyJWSSync(token, s.tPublic, verifyOptions), check: claims },
    { name: 'tessera sync, same JWK object', mode: 'sync', fn: () => t.verifyJWSSync(token, jwk, verifyOptions), check: claims, target: target(TARGETS.jwkEachCall, warmSync, 'warm') },
    { name: 'tessera sync, fresh JWK object', mode: 'sync', fn: () => t.verifyJWSSync(token, { ...jwk }, verifyOptions), check: claims, target: target(TARGETS.jwkEachCall, warmSync, 'warm') },
    { name: warmAsync, mode: 'async', fn: () => t.verifyJWS(token, s.tPublic, verifyOptions), check: claims },
    { name: 'tessera async, fresh JWK object', mode: 'async', fn: () => t.verifyJWS(token, { ...jwk }, verifyOptions), check: claims, target: target(TARGETS.jwkEachCall, warmAsync, 'warm') },
    { name: 'jose, warm key', mode: 'async', fn: () => jose.compactVerify(token, s.joseVerifyKey, verifyOptions), check: claims },
    { name: 'jose, importJWK each call', mode: 'async', fn: async () => jose.compactVerify(token, await jose.importJWK({ ...jwk }, alg), verifyOptions), check: claims },
  ];
}

/** node:crypto's sign in callback form: the work runs on libuv's thread pool. */
function rawSignAsync(s) {
  return () => new Promise((resolve, reject) => nodeSign(s.spec.hash, s.input, s.signOpts, (err, sig) => (err ? reject(err) : resolve(sig))));
}

/** RS256 sign with 8 operations in flight, against node:crypto's sign on one thread. */
export function inflightSignContenders(s, { jose }, width) {
  const header = { alg: s.alg, typ: 'JWT' };
  const rawAsync = rawSignAsync(s);
  return [
    { name: 'raw node:crypto sync, 1 thread', raw: true, mode: 'sync', fn: s.rawSign, check: (sig) => s.rawVerifySig(s.input, sig) || fail('raw') },
    { name: `raw node:crypto async, ${width} in flight`, mode: 'inflight', width, fn: rawAsync, check: (sig) => s.rawVerifySig(s.input, sig) || fail('raw async') },
    { name: `tessera factory async, ${width} in flight`, mode: 'inflight', width, fn: () => s.signer.sign(PAYLOAD), check: (tok) => assertToken(s, tok), target: target(TARGETS.inflight, 'raw node:crypto sync, 1 thread', 'raw 1 thread') },
    { name: `jose, ${width} in flight`, mode: 'inflight', width, fn: () => new jose.CompactSign(PAYLOAD).setProtectedHeader(header).sign(s.joseSignKey), check: (tok) => assertToken(s, tok) },
  ];
}

/** ES256 verify with 8 operations in flight. */
export function inflightVerifyContenders(s, { jose }, width) {
  const claims = (r) => assertClaims(s, r.payload);
  const rawAsync = () =>
    new Promise((resolve, reject) =>
      nodeVerify(s.spec.hash, s.input, s.verifyOpts, s.signature, (err, ok) => (err ? reject(err) : resolve(ok))),
    );
  return [
    { name: 'raw node:crypto sync, 1 thread', raw: true, mode: 'sync', fn: rawVerify(s), check: checkTrue('raw') },
    { name: `raw node:crypto async, ${width} in flight`, mode: 'inflight', width, fn: rawAsync, check: checkTrue('raw async') },
    { name: `tessera factory async, ${width} in flight`, mode: 'inflight', width, fn: () => s.verifier.verify(s.token), check: claims },
    { name: `jose, ${width} in flight`, mode: 'inflight', width, fn: () => jose.compactVerify(s.token, s.joseVerifyKey, s.verifyOptions), check: claims },
  ];
}

// ---------------------------------------------------------------------------------------------
// JWE (RFC 7516): encrypt and decrypt, tessera against jose and raw node:crypto.

/** Keys, options and a token for one JWE case, made once (the "warm" state). */
export async function jweSetup(name, { t, jose }) {
  const m = jweMaterial(name);
  const { alg, enc } = m;
  const subtle = webcrypto.subtle;
  const secret = m.secret !== undefined;
  const encryptOptions = Object.freeze({ alg, enc, ...(m.spec.p2c ? { p2c: m.spec.p2c } : {}) });
  const decryptOptions = Object.freeze({ algorithms: Object.freeze([alg]), encryptions: Object.freeze([enc]) });
  const tEncryptKey = t.importJWKSync(secret ? m.jwk : m.publicJWK);
  const tDecryptKey = secret ? tEncryptKey : t.importJWKSync(m.privateJWK);
  // jose gets its best keys: CryptoKeys imported once (for secrets too, so it does not import per call).
  let joseEncryptKey;
  let joseDecryptKey;
  if (alg === 'dir') joseEncryptKey = await subtle.importKey('raw', m.secret, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
  else if (alg === 'A256KW') joseEncryptKey = await subtle.importKey('raw', m.secret, { name: 'AES-KW' }, false, ['wrapKey', 'unwrapKey']);
  else if (alg.startsWith('PBES2')) joseEncryptKey = await subtle.importKey('raw', m.secret, { name: 'PBKDF2' }, false, ['deriveBits']);
  if (joseEncryptKey !== undefined) joseDecryptKey = joseEncryptKey;
  else {
    joseEncryptKey = await jose.importJWK(m.publicJWK, alg);
    joseDecryptKey = await jose.importJWK(m.privateJWK, alg);
  }
  const encrypter = t.createEncrypterSync(tEncryptKey, encryptOptions);
  const decrypter = t.createDecrypterSync(tDecryptKey, decryptOptions);
  const token = encrypter.encryptSync(PAYLOAD);
  assertJWE(m, token);
  // The raw contender's own tokens must be JWEs tessera reads too (a check of the raw code).
  assertPlaintext(m, t.decryptJWESync(m.rawEncrypt(), tDecryptKey, decryptOptions).plaintext);
  return { ...m, token, encryptOptions, decryptOptions, tEncryptKey, tDecryptKey, encrypter, decrypter, joseEncryptKey, joseDecryptKey };
}

function jweTargets(s) {
  const list = [target(TARGETS.jweRaw, 'raw')];
  if (s.spec.symmetric) list.push(target(TARGETS.jweJose, 'jose'));
  return list;
}

/** Encrypt: the shared payload, header {alg, enc} (plus what the algorithm adds). */
export function jweEncryptContenders(s, { t, jose }) {
  const check = (tok) => assertJWE(s, tok);
  const targets = jweTargets(s);
  const joseEncrypt = () => {
    const e = new jose.CompactEncrypt(PAYLOAD).setProtectedHeader({ alg: s.alg, enc: s.enc });
    if (s.spec.p2c) e.setKeyManagementParameters({ p2c: s.spec.p2c });
    return e.encrypt(s.joseEncryptKey);
  };
  return [
    { name: 'raw node:crypto', raw: true, mode: 'sync', fn: s.rawEncrypt, check },
    { name: 'tessera factory sync', mode: 'sync', fn: () => s.encrypter.encryptSync(PAYLOAD), check, targets },
    { name: 'tessera sync', mode: 'sync', fn: () => t.encryptJWESync(PAYLOAD, s.tEncryptKey, s.encryptOptions), check, targets },
    { name: 'tessera factory async', mode: 'async', fn: () => s.encrypter.encrypt(PAYLOAD), check, targets },
    { name: 'tessera async', mode: 'async', fn: () => t.encryptJWE(PAYLOAD, s.tEncryptKey, s.encryptOptions), check, targets },
    { name: 'jose', mode: 'async', fn: joseEncrypt, check },
  ];
}

/** Decrypt: every contender decrypts the one token tessera made. */
export function jweDecryptContenders(s, { t, jose }) {
  const { token } = s;
  const check = (r) => assertPlaintext(s, r instanceof Uint8Array ? r : r.plaintext);
  const targets = jweTargets(s);
  const joseOptions = { keyManagementAlgorithms: [s.alg], contentEncryptionAlgorithms: [s.enc] };
  return [
    { name: 'raw node:crypto', raw: true, mode: 'sync', fn: () => s.rawDecrypt(token), check },
    { name: 'tessera factory sync', mode: 'sync', fn: () => s.decrypter.decryptSync(token), check, targets },
    { name: 'tessera sync', mode: 'sync', fn: () => t.decryptJWESync(token, s.tDecryptKey, s.decryptOptions), check, targets },
    { name: 'tessera factory async', mode: 'async', fn: () => s.decrypter.decrypt(token), check, targets },
    { name: 'tessera async', mode: 'async', fn: () => t.decryptJWE(token, s.tDecryptKey, s.decryptOptions), check, targets },
    { name: 'jose', mode: 'async', fn: () => jose.compactDecrypt(token, s.joseDecryptKey, joseOptions), check },
  ];
}

function fail(name) {
  throw new Error(`${name}: the operation did not succeed`);
}

/** Runs every contender once and checks its result, so nothing is timed doing the wrong work. */
export async function checkContenders(caseName, contenders) {
  for (const c of contenders) {
    try {
      const out = await c.fn();
      c.check(out);
    } catch (err) {
      throw new Error(`${caseName} / ${c.name}: ${err.message}`, { cause: err });
    }
  }
}
