// Per-step cost of tessera's JWT verify, cached verify and decode, in CPU ns/op, next to the raw
// floor: each step timed alone on the same bytes, from the built dist (best of several runs, as
// bench/breakdown.mjs does for JWS).
// Usage: node --single-threaded-gc bench/jwt-breakdown.mjs [HS256|RS256|ES256|EdDSA] (needs a built dist)
import { createHmac, timingSafeEqual, verify as nodeVerify } from 'node:crypto';
import { createRequire } from 'node:module';
import * as t from 'tessera';
import { decodeBase64URL } from '../dist/esm/core/base64url.js';
import { decodeUTF8 } from '../dist/esm/core/bytes.js';
import { parseJSONObject, parseJSONObjectText } from '../dist/esm/core/json.js';
import { protectedHeaderOf } from '../dist/esm/jws/header.js';
import { cachedPrepareHeader } from '../dist/esm/jws/signing-input.js';
import { buildClaims, claimsJSON } from '../dist/esm/jwt/build.js';
import { prepareSigning } from '../dist/esm/jwt/sign.js';
import { checkRegisteredClaims, checkPresent, parseClaims } from '../dist/esm/jwt/claims.js';
import { refuseJWE } from '../dist/esm/jwt/parts.js';
import { checkStaticClaims, checkTemporalClaims, checkType, prepareValidation } from '../dist/esm/jwt/validate.js';
import { finishVerify, prepareVerify } from '../dist/esm/jwt/verify.js';
import { BASE_CLAIMS, decodeSetup, jwtSetup } from './jwt-contenders.mjs';

const alg = process.argv[2] ?? 'ES256';
const require = createRequire(import.meta.url);
const libs = { t, jose: await import('jose'), fastJwt: require('fast-jwt'), jsonwebtoken: require('jsonwebtoken') };
const s = await jwtSetup(alg, libs);
const d = await decodeSetup(libs);
const { token, input, signature } = s;
const [h, p] = token.split('.');
const jwsVerifier = t.createVerifierSync(s.tPublic, { algorithms: [alg] });
const jws = jwsVerifier.verifySync(token);
const v = prepareValidation(s.jwtVerifyOptions);
const claims = parseClaims(jws.payload);
const payloadText = decodeUTF8(jws.payload);
const fastCached = libs.fastJwt.createVerifier({ key: s.oct ? s.secret : s.publicPEM, algorithms: [alg], allowedIss: s.jwtVerifyOptions.issuer, allowedAud: s.jwtVerifyOptions.audience, cache: 1000 });
const copy = (str) => Buffer.from(str, 'latin1').toString('latin1'); // a new string object, as each request brings
const freshTokens = Array.from({ length: 1024 }, () => copy(token));
let fresh = 0;
const sigOK = s.oct
  ? () => timingSafeEqual(createHmac('sha256', s.secret).update(input).digest(), signature)
  : () => nodeVerify(s.spec.hash, input, s.verifyOpts, signature);
const [dh, dp] = d.token.split('.');
const prepared = prepareSigning(s.jwtSignOptions);
const built = buildClaims(BASE_CLAIMS, prepared.claims);

const steps = [
  ['raw: primitive + JSON.parse(payload) + 3 comparisons', () => { sigOK(); const c = JSON.parse(Buffer.from(p, 'base64url').toString()); return c.iss === 'x' || c.aud === 'y' || c.exp > 1; }],
  ['  raw primitive alone', sigOK],
  ['  raw Buffer.from(payload, base64url) + toString + JSON.parse', () => JSON.parse(Buffer.from(p, 'base64url').toString())],
  ['verifyJWTSync total (plain)', () => t.verifyJWTSync(token, s.tPublic, s.jwtVerifyOptions)],
  ['  prepareVerify(options) (per call, plain API only)', () => prepareVerify(s.jwtVerifyOptions)],
  ['  verifyJWSSync total (plain JWS)', () => t.verifyJWSSync(token, s.tPublic, { algorithms: [alg] })],
  ['JWT verifier.verifySync total (factory)', () => s.jwtVerifier.verifySync(token)],
  ['  refuseJWE (part count)', () => refuseJWE(token)],
  ['  JWS verifier.verifySync (factory)', () => jwsVerifier.verifySync(token)],
  ['  finishVerify (typ, parse claims, validate)', () => finishVerify(jws, v)],
  ['    checkType', () => checkType(jws.protectedHeader, v)],
  [`    parseClaims(payload bytes, ${jws.payload.length} B)`, () => parseClaims(jws.payload)],
  ['      decodeUTF8 (fatal TextDecoder)', () => decodeUTF8(jws.payload)],
  ['      parseJSONObjectText (JSON.parse + scan + count)', () => parseJSONObjectText(payloadText, 'c')],
  ['      JSON.parse alone', () => JSON.parse(payloadText)],
  ['    checkStaticClaims (types, required, iss, aud)', () => checkStaticClaims(claims, v)],
  ['      checkRegisteredClaims', () => checkRegisteredClaims(claims)],
  ['      checkPresent', () => checkPresent(claims, v.required)],
  ['    checkTemporalClaims (Date.now, exp, nbf, iat)', () => checkTemporalClaims(claims, v)],
  ['cached verifySync, same string object', () => s.cachedVerifier.verifySync(token)],
  ['cached verifySync, new string object per call', () => s.cachedVerifier.verifySync(freshTokens[fresh++ & 1023])],
  ['  copy of the token string alone (for the line above)', () => copy(token)],
  ['fast-jwt cached, same string object', () => fastCached(token)],
  ['signJWTSync total (plain)', () => t.signJWTSync(BASE_CLAIMS, s.tPrivate, s.jwtSignOptions)],
  ['  prepareSigning(options) (per call, plain API only)', () => prepareSigning(s.jwtSignOptions)],
  ['  cachedPrepareHeader (JWS header cache, plain API only)', () => cachedPrepareHeader(s.tPrivate, prepared.jws)],
  ['JWT signer.signSync total (factory)', () => s.jwtSigner.signSync(BASE_CLAIMS)],
  ['  buildClaims (copy, add iss/aud/iat/exp, check types)', () => buildClaims(BASE_CLAIMS, prepared.claims)],
  ['  claimsJSON (JSON.stringify)', () => claimsJSON(built)],
  ['decodeJWT (access token)', () => t.decodeJWT(d.token)],
  ['  protectedHeaderOf (header cache hit)', () => protectedHeaderOf(dh, 8192)],
  ['  decodeBase64URL(payload)', () => decodeBase64URL(dp, 'payload')],
  ['  parseJSONObject(payload bytes)', () => parseJSONObject(decodeBase64URL(dp, 'payload'), 'c')],
  ['  raw Buffer.from + JSON.parse (payload only)', () => JSON.parse(Buffer.from(dp, 'base64url').toString())],
];

function time(fn, iterations, runs) {
  let best = Infinity;
  for (let run = 0; run < runs; run++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < iterations; i++) fn();
    const c = process.cpuUsage(c0);
    best = Math.min(best, ((c.user + c.system) * 1e3) / iterations);
  }
  return best;
}

console.log(`JWT ${alg} step costs (best of 3 passes × 7 runs, CPU ns/op), node ${process.version}`);
const best = new Map();
for (let pass = 0; pass < 3; pass++) {
  for (const [name, fn] of steps) {
    if (pass === 0) for (let i = 0; i < 2000; i++) fn(); // warm-up
    const probe = time(fn, 200, 1);
    const ns = time(fn, Math.max(200, Math.round(10e6 / Math.max(probe, 1))), 7);
    best.set(name, Math.min(best.get(name) ?? Infinity, ns));
  }
}
for (const [name] of steps) console.log(`${name.padEnd(62)} ${best.get(name).toFixed(0).padStart(8)}`);
