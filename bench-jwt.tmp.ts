import { decodeJWT, signJWT, verifyJWTSync, createJWTVerifierSync } from '/work/main/src/jwt/index.ts';
import { verifyJWSSync } from '/work/main/src/jws/compact.ts';
import { generateKey } from '/work/main/src/jwk/generate.ts';
const key = await generateKey('ES256');
const claims = { client_id: 's6BhdRkqt3', scope: 'openid profile email read:things' };
const token = await signJWT(claims, key, { profile: 'at+jwt', issuer: 'https://issuer.example.com', audience: 'https://api.example.com', subject: 'user-1234567890', expiresIn: '1h', jti: true, protectedHeader: { kid: 'key-2024-01' } });
const text = Buffer.from(token.split('.')[1]!, 'base64url').toString();
console.log('token', token.length, 'chars; payload', text.length);
function time(name: string, f: () => unknown, N = 200000) {
  let best = Infinity;
  for (let r = 0; r < 7; r++) {
    const t0 = process.cpuUsage();
    for (let i = 0; i < N; i++) f();
    const u = process.cpuUsage(t0);
    best = Math.min(best, ((u.user + u.system) * 1000) / N);
  }
  console.log(name.padEnd(28), best.toFixed(0), 'ns');
}
time('JSON.parse(payload text)', () => JSON.parse(text));
time('decodeJWT', () => decodeJWT(token));
const pub = key.toPublicJWK();
const opts = { algorithms: ['ES256'], issuer: 'https://issuer.example.com', audience: 'https://api.example.com' };
const v = createJWTVerifierSync(pub, opts);
const vc = createJWTVerifierSync(pub, { ...opts, cache: true });
time('verifyJWSSync ES256', () => verifyJWSSync(token, pub, { algorithms: ['ES256'] }), 5000);
time('verifier.verifySync ES256', () => v.verifySync(token), 5000);
time('cached verifySync', () => vc.verifySync(token));
import { decodeBase64URL, assertBase64URL } from '/work/main/src/core/base64url.ts';
import { parseJSONObject, parseJSONObjectText } from '/work/main/src/core/json.ts';
import { decodeUTF8 } from '/work/main/src/core/bytes.ts';
import { protectedHeaderOf } from '/work/main/src/jws/header.ts';
const [h, p, s] = token.split('.') as [string, string, string];
const bytes = decodeBase64URL(p);
time('header cache', () => protectedHeaderOf(h, 8192));
time('b64 payload', () => decodeBase64URL(p));
time('b64 sig', () => decodeBase64URL(s));
time('assert b64 sig', () => assertBase64URL(s));
time('utf8 TextDecoder', () => decodeUTF8(bytes));
time('utf8 Buffer', () => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
time('Buffer b64->utf8', () => Buffer.from(p, 'base64url').toString('utf8'));
time('latin1 toString', () => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).latin1Slice(0, bytes.length));
time('parseJSONObjectText', () => parseJSONObjectText(text));
time('parseJSONObject', () => parseJSONObject(bytes));
time('slices+indexOf', () => { const a = token.indexOf('.'); const b = token.indexOf('.', a + 1); return token.slice(a + 1, b) + token.slice(0, a); });
