// JWT cases (RFC 7519, issue 4): sign and verify with claim checks, nested (signed, then
// encrypted) tokens, verify with a verified-token cache, and decode. Every contender of a case
// does the same job on the same bytes; each one runs once and its output is checked before it is
// timed. The "raw" contender of each case is node:crypto alone plus the least JSON work a JWT
// needs: the honest floor for that job, not a library.
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  sign as nodeSign,
  timingSafeEqual,
  verify as nodeVerify,
} from 'node:crypto';
import { ephemeralP256, generateKeyPairSync, pointOfJWK } from './node-keygen.mjs';
import { TARGETS, setup } from './contenders.mjs';
import { CLAIMS, assertClaims } from './fixtures.mjs';

/** Targets of the JWT cases (see docs/benchmarks.md, "Results: JSON Web Tokens"). */
export const JWT_TARGETS = {
  verifyHmac: 0.5, // JWT verify HS256, tessera sync ≥ 0.5 × raw
  verifyAsym: 0.9, // JWT verify RS256/ES256/EdDSA, tessera sync ≥ 0.9 × raw
  nested: 0.8, // nested sign+encrypt and decrypt+verify, every tessera contender ≥ 0.8 × raw
  cached: 1, // cached verify, tessera factory sync > fast-jwt's cached verify
  decodeNs: 1000, // decodeJWT of a typical access token < 1 µs
};

export const ISS = CLAIMS.iss;
export const AUD = CLAIMS.aud;
/** Lifetime the producers set (`exp` = `iat` + this). */
const EXPIRES_IN = 900;
/** The claims a producer is given; `iss`, `aud`, `iat` and `exp` come from its options. */
const { iss: _iss, aud: _aud, exp: _exp, ...BASE } = CLAIMS;
export const BASE_CLAIMS = Object.freeze(BASE);

const b64u = (bytes) => Buffer.from(bytes).toString('base64url');
const fromB64u = (s) => Buffer.from(s, 'base64url');
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const target = (ratio, ref, label = ref) => ({ ratio, ref, label });

function fail(what) {
  throw new Error(`${what}: the operation did not succeed`);
}

// --- raw: the least a careful application must do ---------------------------------------------

/** The three claim comparisons of a JWT verify: `iss`, `aud` (string or array), `exp`. */
function claimsOK(c, now) {
  return c.iss === ISS && (c.aud === AUD || (Array.isArray(c.aud) && c.aud.includes(AUD))) && typeof c.exp === 'number' && c.exp > now;
}

/** JSON.parse of a base64url payload segment (given as a string, or as latin1 bytes of one). */
const parsePayload = (segment) => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));

/** The claims a producer issues now: the base claims, `iss`, `aud`, `iat`, `exp`. */
function claimsNow() {
  const now = Math.floor(Date.now() / 1000);
  return { ...BASE, iss: ISS, aud: AUD, iat: now, exp: now + EXPIRES_IN };
}

/** Raw JWT sign: JSON.stringify + base64url of the claims, the primitive, base64url of the signature. */
function rawSignJWT(s) {
  const header = s.header; // base64url of {"alg":…,"typ":"JWT"}, computed once
  if (s.oct) {
    return () => {
      const input = `${header}.${b64u(JSON.stringify(claimsNow()))}`;
      return `${input}.${createHmac('sha256', s.secret).update(input).digest('base64url')}`;
    };
  }
  return () => {
    const input = `${header}.${b64u(JSON.stringify(claimsNow()))}`;
    return `${input}.${nodeSign(s.spec.hash, Buffer.from(input, 'latin1'), s.signOpts).toString('base64url')}`;
  };
}

/**
 * Raw JWT verify: the primitive on the precomputed signing input and signature (as the JWS raw
 * contender), then JSON.parse of the payload and the three claim comparisons.
 */
function rawVerifyJWT(s) {
  const { input, signature } = s;
  const segment = s.token.split('.')[1];
  const sigOK = s.oct
    ? () => {
        const mac = createHmac('sha256', s.secret).update(input).digest();
        return mac.length === signature.length && timingSafeEqual(mac, signature);
      }
    : () => nodeVerify(s.spec.hash, input, s.verifyOpts, signature);
  return () => {
    if (!sigOK()) fail('raw signature');
    const c = parsePayload(segment);
    if (!claimsOK(c, Date.now() / 1000)) fail('raw claims');
    return c;
  };
}

// --- checks --------------------------------------------------------------------------------------

/**
 * Checks a freshly signed JWT with node:crypto alone: the signature, header {alg, typ: "JWT"}, and
 * the claims: exactly the base claims plus `iss`, `aud`, `iat` (now) and `exp` (`iat` + 900 s).
 */
function assertSignedJWT(m, token) {
  const [h, p, sig, extra] = String(token).split('.');
  if (extra !== undefined || sig === undefined) throw new Error(`${m.alg}: not a compact JWS`);
  if (!m.rawVerifySig(Buffer.from(`${h}.${p}`, 'latin1'), fromB64u(sig))) throw new Error(`${m.alg}: the signature does not verify`);
  const header = JSON.parse(fromB64u(h).toString('utf8'));
  if (header.alg !== m.alg || header.typ !== 'JWT') throw new Error(`${m.alg}: header ${JSON.stringify(header)}`);
  const c = JSON.parse(fromB64u(p).toString('utf8'));
  const now = Math.floor(Date.now() / 1000);
  const want = { ...BASE, iss: ISS, aud: AUD, iat: c.iat, exp: c.iat + EXPIRES_IN };
  const sorted = (o) => JSON.stringify(Object.keys(o).sort().map((k) => [k, o[k]]));
  if (!Number.isInteger(c.iat) || Math.abs(c.iat - now) > 5 || sorted(c) !== sorted(want)) {
    throw new Error(`${m.alg}: a contender issued other claims: ${JSON.stringify(c).slice(0, 80)}`);
  }
}

const checkClaims = (s) => (r) => assertClaims(s, r.payload ?? r);

// --- JWT sign and verify -------------------------------------------------------------------------

/** The JWS benchmark's keys and token (header {alg, typ: "JWT"}, payload the claims) plus JWT options. */
export async function jwtSetup(alg, libs) {
  const { t } = libs;
  const s = await setup(alg, libs);
  const jwtSignOptions = Object.freeze({ alg, typ: 'JWT', issuer: ISS, audience: AUD, expiresIn: EXPIRES_IN });
  const jwtVerifyOptions = Object.freeze({ algorithms: Object.freeze([alg]), issuer: ISS, audience: AUD });
  return {
    ...s,
    jwtSignOptions,
    jwtVerifyOptions,
    jwtSigner: t.createJWTSignerSync(s.tPrivate, jwtSignOptions),
    jwtVerifier: t.createJWTVerifierSync(s.tPublic, jwtVerifyOptions),
    cachedVerifier: t.createJWTVerifierSync(s.tPublic, { ...jwtVerifyOptions, cache: { max: 1000 } }),
  };
}

/** JWT sign: every contender issues the base claims with iss, aud, iat = now and exp = iat + 900 s. */
export function jwtSignContenders(s, { t, jose, fastJwt, jsonwebtoken }) {
  const check = (tok) => assertSignedJWT(s, tok);
  const fastSigner = fastJwt.createSigner({ key: s.oct ? s.secret : s.privatePEM, algorithm: s.alg, iss: ISS, aud: AUD, expiresIn: EXPIRES_IN * 1000 });
  const header = { alg: s.alg, typ: 'JWT' };
  const list = [
    { name: 'raw node:crypto', raw: true, mode: 'sync', fn: rawSignJWT(s), check },
    { name: 'tessera factory sync', mode: 'sync', fn: () => s.jwtSigner.signSync(BASE_CLAIMS), check },
    { name: 'tessera sync', mode: 'sync', fn: () => t.signJWTSync(BASE_CLAIMS, s.tPrivate, s.jwtSignOptions), check },
    {
      name: 'jose',
      mode: 'async',
      fn: () => new jose.SignJWT(BASE_CLAIMS).setProtectedHeader(header).setIssuer(ISS).setAudience(AUD).setIssuedAt().setExpirationTime('15m').sign(s.joseSignKey),
      check,
    },
    { name: 'fast-jwt', mode: 'sync', fn: () => fastSigner(BASE_CLAIMS), check },
  ];
  if (s.alg !== 'EdDSA') {
    // jsonwebtoken 9 has no EdDSA.
    const key = s.oct ? s.secret : s.privateKey;
    const options = { algorithm: s.alg, issuer: ISS, audience: AUD, expiresIn: EXPIRES_IN };
    list.push({ name: 'jsonwebtoken', mode: 'sync', fn: () => jsonwebtoken.sign(BASE_CLAIMS, key, options), check });
  }
  return list;
}

function verifyTarget(s) {
  return target(s.oct ? JWT_TARGETS.verifyHmac : JWT_TARGETS.verifyAsym, 'raw');
}

/** JWT verify: signature, then iss, aud and exp (and what else each library checks), on one token. */
export function jwtVerifyContenders(s, { t, jose, fastJwt, jsonwebtoken }) {
  const { token } = s;
  const check = checkClaims(s);
  const fastVerifier = fastJwt.createVerifier({ key: s.oct ? s.secret : s.publicPEM, algorithms: [s.alg], allowedIss: ISS, allowedAud: AUD, cache: false });
  const joseOptions = { algorithms: [s.alg], issuer: ISS, audience: AUD };
  const list = [
    { name: 'raw node:crypto', raw: true, mode: 'sync', fn: rawVerifyJWT(s), check },
    { name: 'tessera factory sync', mode: 'sync', fn: () => s.jwtVerifier.verifySync(token), check, target: verifyTarget(s) },
    { name: 'tessera sync', mode: 'sync', fn: () => t.verifyJWTSync(token, s.tPublic, s.jwtVerifyOptions), check, target: verifyTarget(s) },
    { name: 'tessera async', mode: 'async', fn: () => t.verifyJWT(token, s.tPublic, s.jwtVerifyOptions), check, target: target(TARGETS.asyncVsSync, 'tessera sync') },
    { name: 'jose', mode: 'async', fn: () => jose.jwtVerify(token, s.joseVerifyKey, joseOptions), check },
    { name: 'fast-jwt', mode: 'sync', fn: () => fastVerifier(token), check },
  ];
  if (s.alg !== 'EdDSA') {
    const key = s.oct ? s.secret : s.publicKey;
    const options = { algorithms: [s.alg], issuer: ISS, audience: AUD };
    list.push({ name: 'jsonwebtoken', mode: 'sync', fn: () => jsonwebtoken.verify(token, key, options), check });
  }
  return list;
}

/**
 * Verify the same token again and again with a verified-token cache: tessera's `cache: { max }`
 * against fast-jwt's `cache: 1000`. The raw contender is the uncached floor (it has no cache).
 */
export function cachedVerifyContenders(s, { fastJwt }) {
  const { token } = s;
  const check = checkClaims(s);
  const fastCached = fastJwt.createVerifier({ key: s.publicPEM, algorithms: [s.alg], allowedIss: ISS, allowedAud: AUD, cache: 1000 });
  return [
    { name: 'raw node:crypto (no cache)', raw: true, mode: 'sync', fn: rawVerifyJWT(s), check },
    { name: 'tessera factory sync, cache on', mode: 'sync', fn: () => s.cachedVerifier.verifySync(token), check, target: target(JWT_TARGETS.cached, 'fast-jwt, cache on') },
    { name: 'fast-jwt, cache on', mode: 'sync', fn: () => fastCached(token), check },
  ];
}

// --- decode --------------------------------------------------------------------------------------

/** A typical RFC 9068 access token: ES256, `typ: at+jwt`, a `kid`, the shared claims plus `iat`. */
export async function decodeSetup(libs) {
  const { t } = libs;
  const key = t.importJWKSync(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'jwk' }));
  const claims = { ...CLAIMS, iat: 1700000000 };
  const token = t.signJWTSync(claims, key, { alg: 'ES256', protectedHeader: { typ: 'at+jwt', kid: 'rs-2026-11' }, iat: false });
  return { alg: 'ES256', token, claimsJSON: JSON.stringify(claims) };
}

/** Untrusted decode of a JWT: header and claims, no signature. Target: tessera under 1 µs. */
export function decodeContenders(s, { t, jose, fastJwt, jsonwebtoken }) {
  const { token } = s;
  const check = (r) => {
    const header = r.header ?? r[0];
    const claims = r.claims ?? r.payload ?? r[1];
    if (header?.kid !== 'rs-2026-11' || JSON.stringify(claims) !== s.claimsJSON) throw new Error('decode: another header or claims');
  };
  const fastDecode = fastJwt.createDecoder({ complete: true });
  const budget = {
    label: `< ${JWT_TARGETS.decodeNs} ns/op`,
    judge: (r) => {
      const ns = 1e9 / r.opsPerSec;
      return { actual: ns, pass: ns < JWT_TARGETS.decodeNs };
    },
  };
  return [
    {
      name: 'raw (indexOf + base64url + JSON.parse ×2)',
      raw: true,
      mode: 'sync',
      fn: () => {
        const a = token.indexOf('.');
        const b = token.indexOf('.', a + 1);
        return [JSON.parse(fromB64u(token.slice(0, a)).toString('utf8')), JSON.parse(fromB64u(token.slice(a + 1, b)).toString('utf8'))];
      },
      check,
    },
    { name: 'tessera decodeJWT', mode: 'sync', fn: () => t.decodeJWT(token), check, targets: [budget] },
    { name: 'jose decodeProtectedHeader + decodeJwt', mode: 'sync', fn: () => ({ header: jose.decodeProtectedHeader(token), claims: jose.decodeJwt(token) }), check },
    { name: 'fast-jwt createDecoder({ complete })', mode: 'sync', fn: () => fastDecode(token), check },
    { name: 'jsonwebtoken decode({ complete })', mode: 'sync', fn: () => jsonwebtoken.decode(token, { complete: true }), check },
  ];
}

// --- nested: ES256 inside a JWE (RFC 7519 §5.2) ---------------------------------------------------

/** The two nested cases of issue 4: an ES256 JWS inside a JWE. */
export const NESTED_CASES = {
  'ES256 in ECDH-ES+A256KW/A256GCM': { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', gen: ['ec', { namedCurve: 'prime256v1' }] },
  'ES256 in RSA-OAEP-256/A256GCM': { alg: 'RSA-OAEP-256', enc: 'A256GCM', gen: ['rsa', { modulusLength: 2048 }] },
};

const A6 = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');
const COUNTER_1 = Buffer.from([0, 0, 0, 1]);

function gcmEncrypt(cek, plaintext, aad) {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', cek, iv);
  c.setAAD(aad);
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  return `${b64u(iv)}.${b64u(ct)}.${b64u(c.getAuthTag())}`;
}

function gcmDecrypt(cek, iv, ct, tag, aad) {
  const d = createDecipheriv('aes-256-gcm', cek, fromB64u(iv), { authTagLength: 16 });
  d.setAAD(aad);
  d.setAuthTag(fromB64u(tag));
  return Buffer.concat([d.update(fromB64u(ct)), d.final()]);
}

function aesKW(kek, data, unwrap) {
  const c = (unwrap ? createDecipheriv : createCipheriv)('id-aes256-wrap', kek, A6);
  return Buffer.concat([c.update(data), c.final()]);
}

/** RFC 7518 §4.6.2 Concat KDF for a 256-bit key, empty apu/apv: OtherInfo built once, one SHA-256 per call. */
function concatKDF(alg) {
  const id = Buffer.from(alg);
  const len32 = (n) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
  const info = Buffer.concat([len32(id.length), id, len32(0), len32(0), len32(256)]);
  return (z) => createHash('sha256').update(COUNTER_1).update(z).update(info).digest();
}

/**
 * Raw encrypt and decrypt of one nested case, on node:crypto alone: the key management
 * (ECDH + Concat KDF + AES-KW, or RSA-OAEP-256), then AES-256-GCM, header {alg, enc, cty: "JWT"}.
 */
function rawJWE(spec, keys) {
  const { alg, enc } = spec;
  if (alg === 'RSA-OAEP-256') {
    const oaep = (key) => ({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' });
    const header = b64u(JSON.stringify({ alg, enc, cty: 'JWT' }));
    const aad = Buffer.from(header, 'latin1');
    const pub = oaep(keys.publicKey);
    const priv = oaep(keys.privateKey);
    return {
      encrypt: (plaintext) => {
        const cek = randomBytes(32);
        return `${header}.${b64u(publicEncrypt(pub, cek))}.${gcmEncrypt(cek, plaintext, aad)}`;
      },
      decrypt: (token) => {
        const [h, ek, iv, ct, tag] = token.split('.');
        return gcmDecrypt(privateDecrypt(priv, fromB64u(ek)), iv, ct, tag, Buffer.from(h, 'latin1'));
      },
    };
  }
  const kdf = concatKDF(alg);
  const recipientPoint = pointOfJWK(keys.publicKey.export({ format: 'jwk' }));
  return {
    encrypt: (plaintext) => {
      // RFC 7518 §4.6: a fresh ephemeral key; its public JWK goes in the protected header.
      const eph = ephemeralP256();
      const kek = kdf(eph.derive(recipientPoint));
      const header = b64u(JSON.stringify({ alg, enc, cty: 'JWT', epk: eph.jwk }));
      const cek = randomBytes(32);
      return `${header}.${b64u(aesKW(kek, cek, false))}.${gcmEncrypt(cek, plaintext, Buffer.from(header, 'latin1'))}`;
    },
    decrypt: (token) => {
      const [h, ek, iv, ct, tag] = token.split('.');
      const { epk } = JSON.parse(fromB64u(h).toString('utf8'));
      const kek = kdf(diffieHellman({ privateKey: keys.privateKey, publicKey: createPublicKey({ key: epk, format: 'jwk' }) }));
      return gcmDecrypt(aesKW(kek, fromB64u(ek), true), iv, ct, tag, Buffer.from(h, 'latin1'));
    },
  };
}

/** Raw verify of an inner JWS held as latin1 bytes: the primitive, JSON.parse of the payload, the claims. */
function rawVerifyInner(s, jws, now) {
  const a = jws.indexOf(0x2e);
  const b = jws.indexOf(0x2e, a + 1);
  const signature = Buffer.from(jws.toString('latin1', b + 1), 'base64url');
  if (!nodeVerify('sha256', jws.subarray(0, b), s.verifyOpts, signature)) fail('raw inner signature');
  const c = parsePayload(jws.toString('latin1', a + 1, b));
  if (now !== undefined && !claimsOK(c, now)) fail('raw claims');
  return c;
}

/** Keys and tokens of one nested case: the ES256 signing keys (as the JWS bench) and the JWE keys. */
export async function nestedSetup(name, libs) {
  const { t, jose } = libs;
  const spec = NESTED_CASES[name];
  const { alg, enc } = spec;
  const s = await setup('ES256', libs);
  const generated = generateKeyPairSync(...spec.gen);
  const privateJWK = generated.privateKey.export({ format: 'jwk' });
  const publicJWK = generated.publicKey.export({ format: 'jwk' });
  // Imported from the JWK, as tessera holds it (see bench/jwe-fixtures.mjs on why).
  const encKeys = { publicKey: createPublicKey({ key: publicJWK, format: 'jwk' }), privateKey: createPrivateKey({ key: privateJWK, format: 'jwk' }) };
  const raw = rawJWE(spec, encKeys);
  const tEncryptKey = t.importJWKSync(publicJWK);
  const tDecryptKey = t.importJWKSync(privateJWK);
  const encryptOptions = Object.freeze({ alg, enc });
  const decryptOptions = Object.freeze({ algorithms: Object.freeze([alg]), encryptions: Object.freeze([enc]) });
  const signOptions = Object.freeze({ alg: 'ES256', typ: 'JWT', issuer: ISS, audience: AUD, expiresIn: EXPIRES_IN });
  const verifyOptions = Object.freeze({ algorithms: Object.freeze(['ES256']), issuer: ISS, audience: AUD });
  const signPart = Object.freeze({ signKey: s.tPrivate, signOptions });
  const encryptPart = Object.freeze({ encryptKey: tEncryptKey, encryptOptions });
  const decryptPart = Object.freeze({ decryptKey: tDecryptKey, decryptOptions });
  const verifyPart = Object.freeze({ verifyKey: s.tPublic, verifyOptions });
  // The token every decrypt+verify contender opens: the shared claims (far `exp`), no `iat`.
  const token = t.signAndEncryptJWTSync(CLAIMS, { signKey: s.tPrivate, signOptions: { alg: 'ES256', typ: 'JWT', iat: false } }, encryptPart);
  const n = {
    ...s,
    name,
    spec,
    jweAlg: alg,
    enc,
    token,
    raw,
    signPart,
    encryptPart,
    decryptPart,
    verifyPart,
    nestedSigner: t.createNestedJWTSignerSync(signPart, encryptPart),
    nestedVerifier: t.createNestedJWTVerifierSync(decryptPart, verifyPart),
    joseEncryptKey: await jose.importJWK(publicJWK, alg),
    joseDecryptKey: await jose.importJWK(privateJWK, alg),
  };
  assertClaims(n, rawVerifyInner(n, raw.decrypt(token)));
  // The raw contender's own tokens must be nested JWTs tessera accepts (a check of the raw code).
  const rawToken = rawNestedSign(n)();
  assertNested(n, rawToken);
  const opened = t.decryptAndVerifyJWTSync(rawToken, decryptPart, verifyPart);
  if (opened.payload.jti !== CLAIMS.jti || opened.jweHeader.cty !== 'JWT') throw new Error(`${name}: tessera read the raw token wrong`);
  return n;
}

/** Raw nested sign: the JWT (JSON, base64url, ECDSA), then the JWE over its bytes. */
function rawNestedSign(n) {
  const header = n.header; // {"alg":"ES256","typ":"JWT"}
  return () => {
    const input = `${header}.${b64u(JSON.stringify(claimsNow()))}`;
    const jws = `${input}.${nodeSign('sha256', Buffer.from(input, 'latin1'), n.signOpts).toString('base64url')}`;
    return n.raw.encrypt(Buffer.from(jws, 'latin1'));
  };
}

/** Checks a nested token with the raw decryptor: the JWE header, then the inner JWT as a fresh one. */
function assertNested(n, token) {
  const parts = String(token).split('.');
  if (parts.length !== 5) throw new Error(`${n.name}: not a compact JWE`);
  const h = JSON.parse(fromB64u(parts[0]).toString('utf8'));
  if (h.alg !== n.jweAlg || h.enc !== n.enc || h.cty !== 'JWT') throw new Error(`${n.name}: JWE header ${JSON.stringify(h).slice(0, 80)}`);
  assertSignedJWT(n, n.raw.decrypt(token).toString('latin1'));
}

function nestedTargets() {
  return [target(JWT_TARGETS.nested, 'raw')];
}

/** Nested sign+encrypt: the base claims with iss, aud, iat, exp, signed ES256, then encrypted. */
export function nestedSignContenders(n, { t, jose }) {
  const check = (tok) => assertNested(n, tok);
  const targets = nestedTargets();
  const jwsHeader = { alg: 'ES256', typ: 'JWT' };
  const jweHeader = { alg: n.jweAlg, enc: n.enc, cty: 'JWT' };
  return [
    { name: 'raw node:crypto', raw: true, mode: 'sync', fn: rawNestedSign(n), check },
    { name: 'tessera factory sync', mode: 'sync', fn: () => n.nestedSigner.signSync(BASE_CLAIMS), check, targets },
    { name: 'tessera sync', mode: 'sync', fn: () => t.signAndEncryptJWTSync(BASE_CLAIMS, n.signPart, n.encryptPart), check, targets },
    { name: 'tessera async', mode: 'async', fn: () => t.signAndEncryptJWT(BASE_CLAIMS, n.signPart, n.encryptPart), check, targets },
    {
      name: 'jose',
      mode: 'async',
      fn: async () => {
        const jws = await new jose.SignJWT(BASE_CLAIMS).setProtectedHeader(jwsHeader).setIssuer(ISS).setAudience(AUD).setIssuedAt().setExpirationTime('15m').sign(n.joseSignKey);
        return new jose.CompactEncrypt(encoder.encode(jws)).setProtectedHeader(jweHeader).encrypt(n.joseEncryptKey);
      },
      check,
    },
  ];
}

/** Nested decrypt+verify: every contender opens the one token tessera made. */
export function nestedVerifyContenders(n, { t, jose }) {
  const { token } = n;
  const check = checkClaims(n);
  const targets = nestedTargets();
  const decryptOptions = { keyManagementAlgorithms: [n.jweAlg], contentEncryptionAlgorithms: [n.enc] };
  const verifyOptions = { algorithms: ['ES256'], issuer: ISS, audience: AUD };
  return [
    { name: 'raw node:crypto', raw: true, mode: 'sync', fn: () => rawVerifyInner(n, n.raw.decrypt(token), Date.now() / 1000), check },
    { name: 'tessera factory sync', mode: 'sync', fn: () => n.nestedVerifier.verifySync(token), check, targets },
    { name: 'tessera sync', mode: 'sync', fn: () => t.decryptAndVerifyJWTSync(token, n.decryptPart, n.verifyPart), check, targets },
    { name: 'tessera async', mode: 'async', fn: () => t.decryptAndVerifyJWT(token, n.decryptPart, n.verifyPart), check, targets },
    {
      name: 'jose',
      mode: 'async',
      fn: async () => {
        const { plaintext, protectedHeader } = await jose.compactDecrypt(token, n.joseDecryptKey, decryptOptions);
        if (protectedHeader.cty !== 'JWT') fail('jose: cty');
        return jose.jwtVerify(decoder.decode(plaintext), n.joseVerifyKey, verifyOptions);
      },
      check,
    },
  ];
}
