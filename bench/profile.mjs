// Where does tessera spend its time? Runs one operation in a loop under V8's CPU profiler and
// prints the functions with the most self time (and the share spent inside node:crypto).
// Usage: node bench/profile.mjs <case> [seconds]   (needs a built dist: `npm run build`)
// Cases: hs256-verify, hs256-verify-factory, hs256-sign, hs256-sign-factory, es256-verify,
//        es256-sign, eddsa-sign, ps256-verify, hs256-verify-jwk-fresh, es256-verify-jwk-fresh,
//        jwe-<dir|a256kw|rsa|ecdh|pbes2>-<encrypt|decrypt>[-factory][-async]
//        (JWE: the plain sync function by default; -factory for the sync factory; -async for the
//        async API, awaited one at a time)
//        jwt-… (JWT sign/verify/cached/nested/decode: see bench/jwt-profile.mjs)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const [caseName = 'hs256-verify', secondsArg = '3'] = process.argv.slice(2);

/** JWE profile cases: the benchmark's cases by a short name. */
const JWE_PROFILE = {
  dir: 'dir+A256GCM',
  a256kw: 'A256KW+A256CBC-HS512',
  rsa: 'RSA-OAEP-256+A256GCM',
  ecdh: 'ECDH-ES+A256KW+A256GCM',
  pbes2: 'PBES2-HS256+A128KW',
};


if (process.env.TESSERA_PROFILE_CHILD !== '1') {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-prof-'));
  const r = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, new URL(import.meta.url).pathname, caseName, secondsArg], {
    stdio: 'inherit',
    env: { ...process.env, TESSERA_PROFILE_CHILD: '1' },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  summarize(JSON.parse(readFileSync(join(dir, file), 'utf8')), join(dir, file));
} else {
  await runChild();
}

async function runJWEChild(t) {
  const [, short, op, ...flags] = caseName.split('-');
  const name = JWE_PROFILE[short];
  if (!name || (op !== 'encrypt' && op !== 'decrypt')) throw new Error(`unknown case ${caseName}`);
  const { jweSetup } = await import('./contenders.mjs');
  const { PAYLOAD } = await import('./fixtures.mjs');
  const s = await jweSetup(name, { t, jose: await import('jose') });
  const factory = flags.includes('factory');
  const ops = {
    encrypt: factory ? () => s.encrypter.encryptSync(PAYLOAD) : () => t.encryptJWESync(PAYLOAD, s.tEncryptKey, s.encryptOptions),
    decrypt: factory ? () => s.decrypter.decryptSync(s.token) : () => t.decryptJWESync(s.token, s.tDecryptKey, s.decryptOptions),
    'encrypt-async': factory ? () => s.encrypter.encrypt(PAYLOAD) : () => t.encryptJWE(PAYLOAD, s.tEncryptKey, s.encryptOptions),
    'decrypt-async': factory ? () => s.decrypter.decrypt(s.token) : () => t.decryptJWE(s.token, s.tDecryptKey, s.decryptOptions),
  };
  const isAsync = flags.includes('async');
  const fn = ops[isAsync ? `${op}-async` : op];
  const end = performance.now() + Number(secondsArg) * 1000;
  let n = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 64; i++) {
      if (isAsync) await fn();
      else fn();
    }
    n += 64;
  }
  console.log(`${caseName}: ${n} ops, ${((Number(secondsArg) * 1e6) / n).toFixed(2)} µs/op (wall, under the profiler)`);
}

async function runChild() {
  const t = await import('tessera');
  if (caseName.startsWith('jwe-')) return runJWEChild(t);
  if (caseName.startsWith('jwt-')) return (await import('./jwt-profile.mjs')).runJWTProfile(t, caseName, secondsArg);
  const { material, PAYLOAD } = await import('./fixtures.mjs');
  const alg = caseName.split('-')[0].toUpperCase().replace('EDDSA', 'EdDSA');
  const m = material(alg);
  const priv = t.importJWKSync(m.privateJWK);
  const pub = m.spec.family === 'oct' ? priv : t.importJWKSync(m.publicJWK);
  const signOptions = { alg, protectedHeader: { typ: 'JWT' } };
  const verifyOptions = { algorithms: [alg] };
  const signer = t.createSignerSync(priv, signOptions);
  const verifier = t.createVerifierSync(pub, verifyOptions);
  const token = signer.signSync(PAYLOAD);
  const ops = {
    verify: () => t.verifyJWSSync(token, pub, verifyOptions),
    'verify-factory': () => verifier.verifySync(token),
    sign: () => t.signJWSSync(PAYLOAD, priv, signOptions),
    'sign-factory': () => signer.signSync(PAYLOAD),
    'verify-jwk-fresh': () => t.verifyJWSSync(token, { ...m.publicJWK }, verifyOptions),
  };
  const op = ops[caseName.slice(caseName.indexOf('-') + 1)];
  if (!op) throw new Error(`unknown case ${caseName}`);
  const end = performance.now() + Number(secondsArg) * 1000;
  let n = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 256; i++) op();
    n += 256;
  }
  console.log(`${caseName}: ${n} ops, ${((Number(secondsArg) * 1e6) / n).toFixed(2)} µs/op (wall, under the profiler)`);
}

function summarize(profile, file) {
  const { nodes, samples, timeDeltas } = profile;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const total = new Map();
  let sum = 0;
  const label = (n) => {
    const f = n.callFrame;
    const where = f.url ? `${f.url.replace(/^.*\/(dist|bench|node_modules)\//, '$1/')}:${f.lineNumber + 1}` : '(native)';
    return `${f.functionName || '(anonymous)'} ${where}`;
  };
  samples.forEach((id, i) => {
    const dt = timeDeltas[i] ?? 0;
    sum += dt;
    const n = byId.get(id);
    const l = label(n);
    self.set(l, (self.get(l) ?? 0) + dt);
    // Inclusive time: credit every distinct frame on the stack once.
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const cl = label(byId.get(cur));
      if (seen.has(cl)) continue;
      seen.add(cl);
      total.set(cl, (total.get(cl) ?? 0) + dt);
    }
  });
  const pct = (v) => `${((100 * v) / sum).toFixed(1).padStart(5)}%`;
  const top = (map, k) => [...map].sort((a, b) => b[1] - a[1]).slice(0, k);
  console.log(`\nself time (top 25), profile ${file}`);
  for (const [l, v] of top(self, 25)) console.log(`  ${pct(v)}  ${l}`);
  console.log('\ninclusive time, tessera frames (top 25)');
  for (const [l, v] of top(new Map([...total].filter(([l]) => l.includes('dist/'))), 25)) console.log(`  ${pct(v)}  ${l}`);
}
