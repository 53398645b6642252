// Per-step cost of tessera's hot paths, in ns/op, next to the raw primitive: each step of
// verifyJWSSync / signJWSSync timed alone on the same bytes, from the built dist.
// Run with --single-threaded-gc so GC work is charged to the step that caused it.
// Timed by process CPU time (other processes on the machine do not add to it), best (lowest) of
// several runs, because interference only ever adds time.
// Usage: node --single-threaded-gc bench/breakdown.mjs [HS256|ES256|EdDSA|RS256|PS256] (needs a built dist)
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as t from 'tessera';
import { assertBase64URL, decodeBase64URL, encodeBase64URL } from '../dist/esm/core/base64url.js';
import { parseCompactJWS, compactParts } from '../dist/esm/jws/compact.js';
import { checkCritUnderstood, protectedHeaderOf } from '../dist/esm/jws/header.js';
import { pinAndResolveSync } from '../dist/esm/jws/keys.js';
import { asciiBytes, payloadBytes, prepareHeader } from '../dist/esm/jws/signing-input.js';
import { importKeySync } from '../dist/esm/jwk/import.js';
import { checkJWK } from '../dist/esm/jwk/validate.js';
import { platform } from '../dist/esm/jwa/platform/node.js';
import { PAYLOAD, material } from './fixtures.mjs';

const alg = process.argv[2] ?? 'HS256';
const m = material(alg);
const oct = m.spec.family === 'oct';
const priv = t.importJWKSync(m.privateJWK);
const pub = oct ? priv : t.importJWKSync(m.publicJWK);
const signOptions = { alg, protectedHeader: { typ: 'JWT' } };
const verifyOptions = { algorithms: [alg] };
const signer = t.createSignerSync(priv, signOptions);
const verifier = t.createVerifierSync(pub, verifyOptions);
const token = signer.signSync(PAYLOAD);
const [h, p, s] = token.split('.');
const sig = Buffer.from(s, 'base64url');
const input = Buffer.from(`${h}.${p}`, 'latin1');
const parsed = parseCompactJWS(token);
const scheme = prepareHeader(priv, signOptions).alg.scheme(priv);
const prepared = prepareHeader(priv, signOptions);
const jwk = m.publicJWK;

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

const steps = [
  ['raw verify (primitive on precomputed bytes)', oct
    ? () => { const mac = createHmac('sha256', m.secret).update(input).digest(); return timingSafeEqual(mac, sig); }
    : () => m.rawVerifySig(input, sig)],
  ['raw sign (primitive on precomputed bytes)', m.rawSign],
  ['verifyJWSSync total', () => t.verifyJWSSync(token, pub, verifyOptions)],
  ['verifier.verifySync total', () => verifier.verifySync(token)],
  ['  parseCompactJWS (3× indexOf, slices, header cache)', () => parseCompactJWS(token)],
  ['    protectedHeaderOf(encoded) (cache hit)', () => protectedHeaderOf(token.slice(0, token.indexOf('.')), 8192)],
  ['  checkCritUnderstood', () => checkCritUnderstood(parsed.header, undefined)],
  ['  pinAndResolveSync (TesseraKey, algorithms given)', () => pinAndResolveSync(parsed.header, pub, verifyOptions)],
  ['    importKeySync(TesseraKey) (instanceof)', () => importKeySync(pub)],
  ['  decodeBase64URL(signature)', () => decodeBase64URL(s, 'signature')],
  [`  decodeBase64URL(payload, ${p.length} chars)`, () => decodeBase64URL(p, 'payload')],
  ['    assertBase64URL(payload) alone', () => assertBase64URL(p, 'payload')],
  ['    Buffer.from(payload, base64url) alone', () => Buffer.from(p, 'base64url')],
  ['  asciiBytes(signing input text) (latin1 copy)', () => asciiBytes(parsed.signingText ?? `${h}.${p}`)],
  ['  platform.verifySync (primitive via backend)', () => platform.verifySync(scheme, pub.imported, input, sig)],
  ['signJWSSync total', () => t.signJWSSync(PAYLOAD, priv, signOptions)],
  ['signer.signSync total', () => signer.signSync(PAYLOAD)],
  ['  prepareHeader (per call in signJWSSync only)', () => prepareHeader(priv, signOptions)],
  ['  payloadBytes(Uint8Array)', () => payloadBytes(PAYLOAD)],
  [`  encodeBase64URL(payload, ${PAYLOAD.length} bytes)`, () => encodeBase64URL(PAYLOAD)],
  ['  compactParts (encode payload + signing input)', () => compactParts(prepared, PAYLOAD, false)],
  ['  platform.signSync (primitive via backend)', () => platform.signSync(scheme, priv.imported, input)],
  [`  encodeBase64URL(signature, ${sig.length} bytes)`, () => encodeBase64URL(sig)],
  ['verifyJWSSync with the same JWK object', () => t.verifyJWSSync(token, jwk, verifyOptions)],
  ['verifyJWSSync with a fresh JWK object', () => t.verifyJWSSync(token, { ...jwk }, verifyOptions)],
  ['  importKeySync(same JWK object) (identity cache)', () => importKeySync(jwk)],
  ['  importKeySync(fresh JWK object) (content cache)', () => importKeySync({ ...jwk })],
  ['    { ...jwk } alone', () => ({ ...jwk })],
  ['    checkJWK(jwk) alone', () => checkJWK(jwk)],
  ['    content key: JSON.stringify of 12 members alone', () => contentKey(jwk)],
  ['    Map.get(new content key string) alone', () => probeMap.get(contentKey(jwk))],
  ['    WeakMap.set(fresh object) alone', () => probeWeak.set({ ...jwk }, pub)],
];
const probeMap = new Map([[contentKey(jwk), pub]]);
const probeWeak = new WeakMap();
/** A content-cache key like the one src/jwk/import.ts builds (JSON of the defining members). */
function contentKey(k) {
  return JSON.stringify([k.kty, k.crv, k.x, k.y, k.n, k.e, k.d, k.k, k.alg, k.kid, k.use, k.key_ops]);
}

// Three passes over all steps, keeping each step's best: a burst of load then spoils one pass
// of a step, not its figure. Iterations are sized so each run takes ~10 ms of CPU.
console.log(`${alg} step costs (best of 3 passes × 7 runs, CPU ns/op), node ${process.version}`);
const best = new Map();
for (let pass = 0; pass < 3; pass++) {
  for (const [name, fn] of steps) {
    if (pass === 0) for (let i = 0; i < 2000; i++) fn(); // warm-up
    const probe = time(fn, 200, 1);
    const ns = time(fn, Math.max(200, Math.round(10e6 / probe)), 7);
    best.set(name, Math.min(best.get(name) ?? Infinity, ns));
  }
}
for (const [name] of steps) console.log(`${name.padEnd(58)} ${best.get(name).toFixed(0).padStart(8)}`);
