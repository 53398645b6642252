#!/usr/bin/env node
// `npm start`: the main job. Until the token server lands (a later issue), it builds the library
// and runs a short end-to-end tour of it: generate keys, sign, verify, and show a rejected forgery.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
if (!existsSync(new URL('../dist/esm/index.js', import.meta.url))) {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
}
const t = await import('../dist/esm/index.js');
console.log(`tessera on the ${t.backend} backend`);
for (const alg of ['HS256', 'RS256', 'PS256', 'ES256', 'EdDSA']) {
  const key = await t.generateKey(alg);
  const verifyKey = key.family === 'oct' ? key : t.exportJWK(key, { public: true });
  const token = await t.signJWS(JSON.stringify({ sub: 'ada', iat: Math.floor(Date.now() / 1000) }), key, {
    protectedHeader: { kid: key.kid },
  });
  const { protectedHeader } = await t.verifyJWS(token, verifyKey);
  const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  const rejected = await t.verifyJWS(forged, verifyKey).then(() => 'ACCEPTED?!', (e) => e.code);
  console.log(`${alg.padEnd(6)} signed ${token.length} chars, verified (kid ${protectedHeader.kid.slice(0, 10)}…), forgery → ${rejected}`);
}

// The recommendation tessera is built around: sign the claims, encrypt them when they are
// sensitive, and have the receiver decrypt and verify, in one call each way.
const issuerKey = await t.generateKey('ES256');
const apiKey = await t.generateKey('ECDH-ES+A256KW');
const nested = await t.signAndEncryptJWT(
  { sub: 'ada', email: 'ada@example.com', client_id: 'tour' },
  { signKey: issuerKey, signOptions: { issuer: 'https://issuer.example', audience: 'api', expiresIn: '15m', jti: true } },
  { encryptKey: t.exportJWK(apiKey, { public: true }), encryptOptions: { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' } },
);
const opened = await t.decryptAndVerifyJWT(
  nested,
  { decryptKey: apiKey },
  { verifyKey: t.exportJWK(issuerKey, { public: true }), verifyOptions: { issuer: 'https://issuer.example', audience: 'api' } },
);
const peek = t.decodeJWT(nested);
console.log(`nested JWT (ES256 inside ECDH-ES+A256KW/A256GCM): ${nested.length} chars; without the key a reader sees only`,
  `${JSON.stringify(peek.header)}; the API sees sub=${opened.payload.sub}, email=${opened.payload.email}`);
const wrongAudience = await t
  .decryptAndVerifyJWT(nested, { decryptKey: apiKey }, { verifyKey: t.exportJWK(issuerKey, { public: true }), verifyOptions: { issuer: 'https://issuer.example', audience: 'other-api' } })
  .then(() => 'ACCEPTED?!', (e) => `${e.code} (${e.claim})`);
console.log(`the same token presented to another API → ${wrongAudience}`);
