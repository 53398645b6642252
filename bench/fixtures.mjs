// Keys, claims and tokens shared by every contender, so all of them sign the same payload and
// verify the same token. Keys are generated per run (their values do not change the cost).
import { createHmac, randomBytes, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { generateKeyPairSync } from './node-keygen.mjs';

/** A typical access token's claims (~280 bytes of JSON). `exp` is far away so every verifier accepts it. */
export const CLAIMS = Object.freeze({
  iss: 'https://auth.example.com/',
  sub: 'user_8f14e45fceea167a5a36dedd4bea2543',
  aud: 'https://api.example.com',
  // No `iat`: fast-jwt and jsonwebtoken drop it under `noTimestamp`, and must sign the same claims.
  auth_time: 1700000000,
  nbf: 1700000000,
  exp: 4102444800,
  jti: '3f2b8c1e-9d4a-4e6b-a2f7-5c0d1e8b9a34',
  scope: 'openid profile email orders:read orders:write',
  client_id: 'web-app-7d2f',
  azp: 'web-app-7d2f',
});
export const CLAIMS_JSON = JSON.stringify(CLAIMS);
/** The payload bytes tessera and jose sign (fast-jwt and jsonwebtoken stringify CLAIMS themselves). */
export const PAYLOAD = new TextEncoder().encode(CLAIMS_JSON);

/**
 * One row per algorithm: how node:crypto signs and verifies it (the "raw" contender), and what
 * each library needs. `hash` is node's digest name, `null` for EdDSA.
 */
export const ALGORITHMS = {
  HS256: { family: 'oct', hash: 'sha256' },
  RS256: { family: 'RSA', hash: 'sha256', gen: ['rsa', { modulusLength: 2048 }] },
  PS256: { family: 'RSA', hash: 'sha256', gen: ['rsa', { modulusLength: 2048 }], pss: true },
  ES256: { family: 'EC', hash: 'sha256', gen: ['ec', { namedCurve: 'prime256v1' }], p1363: true },
  EdDSA: { family: 'OKP', hash: null, gen: ['ed25519', undefined] },
};

const b64u = (bytes) => Buffer.from(bytes).toString('base64url');

/** node:crypto options for one algorithm's key (PSS padding, P1363 signatures). */
function keyOptions(spec, key) {
  if (spec.pss) return { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: -1 /* RSA_PSS_SALTLEN_DIGEST */ };
  if (spec.p1363) return { key, dsaEncoding: 'ieee-p1363' };
  return key;
}

/**
 * Makes the key material of one algorithm in every form the contenders take, plus the signing
 * input of the shared header and payload, and raw sign/verify closures.
 */
export function material(alg) {
  const spec = ALGORITHMS[alg];
  const header = b64u(JSON.stringify({ alg, typ: 'JWT' }));
  const input = Buffer.from(`${header}.${b64u(PAYLOAD)}`, 'latin1');
  if (spec.family === 'oct') {
    const secret = randomBytes(32);
    const rawSign = () => createHmac('sha256', secret).update(input).digest();
    return {
      alg, spec, header, input, secret,
      privateJWK: { kty: 'oct', k: b64u(secret) },
      publicJWK: { kty: 'oct', k: b64u(secret) },
      rawSign,
      rawVerifySig: (data, sig) => {
        const mac = createHmac('sha256', secret).update(data).digest();
        return mac.length === sig.length && mac.equals(sig);
      },
    };
  }
  const { privateKey, publicKey } = generateKeyPairSync(spec.gen[0], spec.gen[1]);
  const signOpts = keyOptions(spec, privateKey);
  const verifyOpts = keyOptions(spec, publicKey);
  return {
    alg, spec, header, input, privateKey, publicKey, signOpts, verifyOpts,
    privateJWK: privateKey.export({ format: 'jwk' }),
    publicJWK: publicKey.export({ format: 'jwk' }),
    privatePEM: privateKey.export({ format: 'pem', type: 'pkcs8' }),
    publicPEM: publicKey.export({ format: 'pem', type: 'spki' }),
    rawSign: () => nodeSign(spec.hash, input, signOpts),
    rawVerifySig: (data, sig) => nodeVerify(spec.hash, data, verifyOpts, sig),
  };
}

/**
 * Checks a compact token against the material with node:crypto alone, and that its payload is
 * the shared claims: a contender that produced anything else would be measured doing other work.
 */
export function assertToken(m, token) {
  const [h, p, s, extra] = String(token).split('.');
  if (extra !== undefined || s === undefined) throw new Error(`${m.alg}: not a compact JWS`);
  if (!m.rawVerifySig(Buffer.from(`${h}.${p}`, 'latin1'), Buffer.from(s, 'base64url'))) {
    throw new Error(`${m.alg}: a contender's signature does not verify`);
  }
  const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
  if (header.alg !== m.alg) throw new Error(`${m.alg}: header alg is ${header.alg}`);
  assertClaims(m, JSON.parse(Buffer.from(p, 'base64url').toString('utf8')));
}

/** Checks that a verifier's result carries the shared claims (as bytes or as an object). */
export function assertClaims(m, payload) {
  const json = payload instanceof Uint8Array ? Buffer.from(payload).toString('utf8') : JSON.stringify(payload);
  if (json !== CLAIMS_JSON) throw new Error(`${m.alg}: a contender returned other claims: ${json.slice(0, 60)}`);
}
