// Ad-hoc JWE step costs (CPU µs/op, best of runs) from dist. Not part of the repo.
import { createCipheriv } from 'node:crypto';
import * as t from 'tessera';
import { parseCompactJWE, planCompact, compactOf } from '../dist/esm/jwe/compact.js';
import { decryptParsedSync } from '../dist/esm/jwe/decrypt.js';
import { encryptWithPlanSync } from '../dist/esm/jwe/encrypt.js';
import { pinAndResolveSync } from '../dist/esm/jwe/keys.js';
import { resolveContentEncryption, resolveKeyManagement } from '../dist/esm/jwa/jwe-registry.js';
import { platform } from '../dist/esm/jwa/platform/node.js';
import { encodeBase64URL, decodeBase64URL } from '../dist/esm/core/base64url.js';
import { jweSetup } from '../bench/contenders.mjs';
import { PAYLOAD } from '../bench/fixtures.mjs';
import * as jose from 'jose';

function time(fn, n) {
  let best = Infinity;
  for (let r = 0; r < 7; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) fn();
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / n);
  }
  return best;
}
const name = process.argv[2] ?? 'dir+A256GCM';
const s = await jweSetup(name, { t, jose });
const parsed = parseCompactJWE(s.token);
const r = parsed.recipients[0];
const enc = resolveContentEncryption(s.enc);
const km = resolveKeyManagement(s.alg);
const plan = planCompact(s.tEncryptKey, s.encryptOptions);
const limits = { maxPBES2Count: 10000 };
const cek = km.unwrapSync(s.tDecryptKey, enc, r.encryptedKey, r.joseHeader, limits);
const steps = [
  ['raw encrypt', s.rawEncrypt],
  ['raw decrypt', () => s.rawDecrypt(s.token)],
  ['encryptJWESync', () => t.encryptJWESync(PAYLOAD, s.tEncryptKey, s.encryptOptions)],
  ['encrypter.encryptSync', () => s.encrypter.encryptSync(PAYLOAD)],
  ['  planCompact (per call in encryptJWESync only)', () => planCompact(s.tEncryptKey, s.encryptOptions)],
  ['  encryptWithPlanSync', () => encryptWithPlanSync(plan, PAYLOAD)],
  ['    km.wrapSync', () => km.wrapSync(s.tEncryptKey, enc, {})],
  ['    platform.randomBytes(iv)', () => platform.randomBytes(enc.ivLength)],
  ['    enc.encryptSync', () => enc.encryptSync(cek, parsed.iv, PAYLOAD, parsed.aad)],
  ['  compactOf', () => compactOf(encryptWithPlanSync(plan, PAYLOAD))],
  ['decryptJWESync', () => t.decryptJWESync(s.token, s.tDecryptKey, s.decryptOptions)],
  ['decrypter.decryptSync', () => s.decrypter.decryptSync(s.token)],
  ['  parseCompactJWE', () => parseCompactJWE(s.token)],
  ['  decryptParsedSync', () => decryptParsedSync(parsed, s.tDecryptKey, s.decryptOptions)],
  ['    pinAndResolveSync', () => pinAndResolveSync(r.joseHeader, s.tDecryptKey, s.decryptOptions)],
  ['    km.unwrapSync', () => km.unwrapSync(s.tDecryptKey, enc, r.encryptedKey, r.joseHeader, limits)],
  ['    enc.decryptSync', () => enc.decryptSync(cek, parsed.iv, parsed.ciphertext, parsed.tag, parsed.aad)],
  ['platform.randomBytes(12) alone', () => platform.randomBytes(12)],
  [`encodeBase64URL(${PAYLOAD.length + 16} B)`, () => encodeBase64URL(parsed.ciphertext)],
];
console.log(`${name}: CPU µs/op, best of 7 runs`);
for (const [label, fn] of steps) {
  for (let i = 0; i < 200; i++) fn();
  const probe = time(fn, 20);
  const n = Math.max(20, Math.round(20000 / Math.max(probe, 0.5)));
  console.log(`${label.padEnd(52)} ${time(fn, n).toFixed(2).padStart(9)}`);
}
