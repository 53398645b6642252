// JWT operations for bench/profile.mjs: `node bench/profile.mjs jwt-<case> [seconds]` runs one of
// them in a loop under V8's CPU profiler (needs a built dist).
// Cases: jwt-<hs256|rs256|es256|eddsa>-<verify|sign>[-factory|-cached][-async]
//        jwt-nested-<ecdh|rsa>-<verify|sign>[-factory][-async]
//        jwt-decode
// Without -factory the plain function runs (verifyJWTSync, signJWTSync, decryptAndVerifyJWTSync…);
// -cached is the factory verifier with `cache: { max: 1000 }` on one token.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { BASE_CLAIMS, decodeSetup, jwtSetup, nestedSetup } from './jwt-contenders.mjs';

const NESTED = { ecdh: 'ES256 in ECDH-ES+A256KW/A256GCM', rsa: 'ES256 in RSA-OAEP-256/A256GCM' };
const ALG = { hs256: 'HS256', rs256: 'RS256', es256: 'ES256', eddsa: 'EdDSA' };

async function operation(t, caseName) {
  const require = createRequire(import.meta.url);
  const libs = { t, jose: await import('jose'), fastJwt: require('fast-jwt'), jsonwebtoken: require('jsonwebtoken') };
  const [, kind, ...rest] = caseName.split('-');
  const isAsync = rest.includes('async');
  if (kind === 'decode') {
    const s = await decodeSetup(libs);
    return { fn: () => t.decodeJWT(s.token), isAsync: false };
  }
  if (kind === 'nested') {
    const [short, op] = rest;
    if (!NESTED[short]) throw new Error(`unknown case ${caseName}`);
    const n = await nestedSetup(NESTED[short], libs);
    const factory = rest.includes('factory');
    const ops = {
      verify: factory ? () => n.nestedVerifier.verifySync(n.token) : () => t.decryptAndVerifyJWTSync(n.token, n.decryptPart, n.verifyPart),
      sign: factory ? () => n.nestedSigner.signSync(BASE_CLAIMS) : () => t.signAndEncryptJWTSync(BASE_CLAIMS, n.signPart, n.encryptPart),
      'verify-async': factory ? () => n.nestedVerifier.verify(n.token) : () => t.decryptAndVerifyJWT(n.token, n.decryptPart, n.verifyPart),
      'sign-async': factory ? () => n.nestedSigner.sign(BASE_CLAIMS) : () => t.signAndEncryptJWT(BASE_CLAIMS, n.signPart, n.encryptPart),
    };
    const fn = ops[isAsync ? `${op}-async` : op];
    if (!fn) throw new Error(`unknown case ${caseName}`);
    return { fn, isAsync };
  }
  const alg = ALG[kind];
  const [op] = rest;
  if (!alg) throw new Error(`unknown case ${caseName}`);
  const s = await jwtSetup(alg, libs);
  const variant = rest.includes('cached') ? 'cached' : rest.includes('factory') ? 'factory' : 'plain';
  const verifier = variant === 'cached' ? s.cachedVerifier : s.jwtVerifier;
  const ops = {
    'verify-plain': () => t.verifyJWTSync(s.token, s.tPublic, s.jwtVerifyOptions),
    'verify-factory': () => verifier.verifySync(s.token),
    'verify-cached': () => verifier.verifySync(s.token),
    'sign-plain': () => t.signJWTSync(BASE_CLAIMS, s.tPrivate, s.jwtSignOptions),
    'sign-factory': () => s.jwtSigner.signSync(BASE_CLAIMS),
    'verify-plain-async': () => t.verifyJWT(s.token, s.tPublic, s.jwtVerifyOptions),
    'verify-factory-async': () => verifier.verify(s.token),
    'verify-cached-async': () => verifier.verify(s.token),
    'sign-plain-async': () => t.signJWT(BASE_CLAIMS, s.tPrivate, s.jwtSignOptions),
    'sign-factory-async': () => s.jwtSigner.sign(BASE_CLAIMS),
  };
  const fn = ops[`${op}-${variant}${isAsync ? '-async' : ''}`];
  if (!fn) throw new Error(`unknown case ${caseName}`);
  return { fn, isAsync };
}

/** Runs the case for `seconds` (called by bench/profile.mjs in its profiled child). */
export async function runJWTProfile(t, caseName, seconds) {
  const { fn, isAsync } = await operation(t, caseName);
  const end = performance.now() + Number(seconds) * 1000;
  let n = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 64; i++) {
      if (isAsync) await fn();
      else fn();
    }
    n += 64;
  }
  console.log(`${caseName}: ${n} ops, ${((Number(seconds) * 1e6) / n).toFixed(2)} µs/op (wall, under the profiler)`);
}
