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
