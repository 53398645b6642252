// Turns measured cases into rows, a console table, JSON and docs/benchmarks.md.
import { ratio } from './harness.mjs';
import { isJWT, jwtSection } from './jwt-cases.mjs';

/** Rows of one case: ops/s, ratio to raw (median of per-round ratios), and the target verdicts. */
export function rowsOf(caseName, contenders, results) {
  const byName = new Map(results.map((r) => [r.name, r]));
  const raw = results[contenders.findIndex((c) => c.raw)];
  return contenders.map((c, i) => {
    const r = results[i];
    const row = {
      case: caseName,
      contender: c.name,
      mode: c.mode === 'inflight' ? `${c.width} in flight` : c.mode,
      opsPerSec: Math.round(r.opsPerSec),
      spread: r.spread,
      xRaw: raw ? ratio(r, raw) : undefined,
      targets: [],
    };
    // A contender has one `target` or several `targets` (a JWE case: vs raw and vs jose).
    for (const t of c.targets ?? (c.target ? [c.target] : [])) {
      // An absolute target (the decode budget in ns/op) judges the result itself.
      if (t.judge) {
        row.targets.push({ label: t.label, ...t.judge(r) });
        continue;
      }
      const ref = t.ref === 'raw' ? raw : byName.get(t.ref);
      if (ref === undefined) throw new Error(`${caseName} / ${c.name}: no reference contender "${t.ref}"`);
      const actual = ratio(r, ref);
      row.targets.push({ label: `≥ ${t.ratio}× ${t.label}`, ref: t.ref, ratio: t.ratio, actual, pass: actual >= t.ratio });
    }
    return row;
  });
}

const fmtOps = (n) => n.toLocaleString('en-US');
const fmtX = (x) => (x === undefined ? '' : `${x.toFixed(2)}×`);
const fmtSpread = (s) => `±${(s * 50).toFixed(0)}%`;
const verdict = (t) => `${t.pass ? 'PASS' : 'FAIL'} ${t.actual.toFixed(2)}`;

function cells(row) {
  return [
    row.case,
    row.contender,
    fmtOps(row.opsPerSec),
    fmtSpread(row.spread),
    fmtX(row.xRaw),
    row.targets.map((t) => t.label).join('; '),
    row.targets.map(verdict).join('; '),
  ];
}
const HEAD = ['case', 'contender', 'ops/s', 'spread', '× raw', 'target', 'result'];
const RIGHT = new Set([2, 3, 4]);

/** A fixed-width table for the terminal; a blank line between cases. */
export function textTable(rows) {
  const all = [HEAD, ...rows.map(cells)];
  const width = HEAD.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (RIGHT.has(i) ? c.padStart(width[i]) : c.padEnd(width[i]))).join('  ').trimEnd();
  const out = [line(HEAD), width.map((w) => '-'.repeat(w)).join('  ')];
  let last;
  for (const row of rows) {
    if (last !== undefined && row.case !== last) out.push('');
    out.push(line(cells(row)));
    last = row.case;
  }
  return out.join('\n');
}

export function markdownTable(rows) {
  const esc = (s) => s.replace(/\|/g, '\\|');
  const out = [`| ${HEAD.join(' | ')} |`, `|${HEAD.map((_, i) => (RIGHT.has(i) ? ' ---: ' : ' --- ')).join('|')}|`];
  let last;
  for (const row of rows) {
    const c = cells(row).map(esc);
    if (row.case === last) c[0] = '';
    else c[0] = `**${c[0]}**`;
    if (row.targets.some((t) => !t.pass)) c[6] = row.targets.map((t) => (t.pass ? verdict(t) : `**${verdict(t)}**`)).join('; ');
    out.push(`| ${c.join(' | ')} |`);
    last = row.case;
  }
  return out.join('\n');
}

/** Every target verdict, one entry per (row, target): `{ case, contender, target }`. */
export function targetSummary(rows) {
  const judged = rows.flatMap((r) => r.targets.map((target) => ({ case: r.case, contender: r.contender, target })));
  const failed = judged.filter((j) => !j.target.pass);
  return { judged: judged.length, passed: judged.length - failed.length, failed };
}

/** The whole docs/benchmarks.md page. */
export function markdownPage({ command, facts, settings, rows, seconds }) {
  const { judged, passed, failed } = targetSummary(rows);
  const failures = failed.length
    ? failed.map((r) => `- ${r.case} / ${r.contender}: ${r.target.actual.toFixed(2)} (target ${r.target.label})`).join('\n')
    : '- none';
  return `# Benchmarks

tessera against [jose](https://github.com/panva/jose) ${facts.versions.jose},
[fast-jwt](https://github.com/nearform/fast-jwt) ${facts.versions['fast-jwt']},
[jsonwebtoken](https://github.com/auth0/node-jsonwebtoken) ${facts.versions.jsonwebtoken}
and the bare \`node:crypto\` primitive ("raw") on the same bytes. Higher ops/s is better.

Produced by \`${command}\` on ${facts.date} (${seconds.toFixed(0)} s).
Re-run it to refresh this page: a full run (no \`--quick\`, no \`--filter\`) rewrites it.

## Machine

| | |
| --- | --- |
| CPU | ${facts.cpu} |
| nproc (available parallelism) | ${facts.nproc} |
| Node.js | ${facts.node} (V8 ${facts.v8}, OpenSSL ${facts.openssl}) |
| libuv thread pool | ${facts.uvThreads} |
| OS | ${facts.os} |
| tessera | ${facts.tessera} |
| load average (1 min) before → after | ${facts.loadBefore} → ${facts.loadAfter} |
| CPU share of single-thread sync slices | ${facts.cpuShare} (1.00 = the core to itself) |

## Method

- One operation at a time per contender, in one process. All contenders of a case run
  interleaved, round-robin, ${settings.rounds} rounds of ${settings.sliceMs} ms each (after ${settings.warmupMs} ms of
  unmeasured warm-up), the starting contender rotating each round. A minor GC (the young
  generation) runs between slices, and the tasks it leaves behind (finalizers of native key and
  cipher handles) run before the next slice starts, so no contender pays for the short-lived garbage
  of the one before. Not a full GC: forcing one before every slice deoptimizes optimized code that
  embeds the objects it frees (V8's "weak objects" deoptimizations, about 15 per slice for a JWE
  encrypt under \`--trace-deopt\`), so every slice paid for recompiling, and concurrent GC threads
  took the cores from the in-flight cases. Runs before commit 6120e42 did that: their figures were 5–35%
  lower and their spreads two to five times wider, and they compressed every ratio towards 1.
- Clock: **${settings.clock}**. ${settings.clock === 'cpu'
    ? 'ops/s counts the process CPU time (all threads) of each slice, not wall time, so other processes on the machine do not dilute it; async operations that run on the thread pool are charged their pool CPU time, not their hop latency. The in-flight cases always use the wall clock.'
    : 'ops/s counts wall time. The CPU share row above says how much of the core the run got: well below 1.00 means other processes diluted the figures (use `--clock cpu` then).'}
- **ops/s** is the median over rounds; **spread** is half the inter-quartile range, relative.
  **× raw** and the target ratios are medians of the per-round ratios, so a slow round
  slows both sides of a ratio alike.
- Payload: a ${facts.payloadBytes}-byte JSON claims set (iss, sub, aud, auth_time, nbf, exp, jti, scope,
  client_id, azp); header \`{"alg":…,"typ":"JWT"}\`. Keys: HMAC 256-bit secret, RSA 2048, P-256, Ed25519.
- Every contender runs once and its output is checked (the token verifies with \`node:crypto\`
  and carries the claims; the verify result carries the claims) before it is timed.
- **raw node:crypto** is the primitive alone on precomputed bytes: sign = \`createHmac(…).digest()\`
  or \`crypto.sign\` over the signing input; verify = \`createHmac\` + \`timingSafeEqual\` against the
  decoded signature, or \`crypto.verify\` (ECDSA with \`dsaEncoding: 'ieee-p1363'\`) on a KeyObject.
  It does no base64url, no JSON and no parsing, so it is an upper bound no library can reach.
- **tessera factory sync/async**: \`createSignerSync\`/\`createVerifierSync\` once, then
  \`signer.signSync\`/\`signer.sign\` and \`verifier.verifySync\`/\`verifier.verify\`.
  **tessera sync/async**: the plain functions \`signJWSSync\`/\`signJWS\`, \`verifyJWSSync\`/\`verifyJWS\`
  with an imported \`TesseraKey\` and \`{ algorithms: [alg] }\`. tessera and jose sign the payload bytes.
- **raw node:crypto async (pool)** (RSA sign cases): \`crypto.sign\` in callback form, one at a time,
  which runs on libuv's thread pool: the floor for any API that signs RSA off the event loop.
- **jose**: \`CompactSign\`/\`compactVerify\` with \`CryptoKey\`s imported once (WebCrypto; async only).
- **fast-jwt**: \`createSigner\` (\`noTimestamp\`) and \`createVerifier\` (\`cache: false\`) with PEM keys;
  it signs the claims object and its verifier also parses the payload and checks \`exp\`/\`nbf\`.
- **jsonwebtoken**: \`sign\` (\`noTimestamp\`) and \`verify\` with KeyObjects; like fast-jwt it
  stringifies/parses the claims and checks \`exp\`/\`nbf\`. It has no EdDSA.
- **JWK each call**: \`verifyJWSSync(token, jwk, …)\` with the same JWK object every call, or a new
  object with the same members every call (\`{ ...jwk }\`), against the warm \`TesseraKey\`; jose
  with \`importJWK({ ...jwk })\` every call.
- **${settings.width} in flight**: ${settings.width} async operations kept in flight (each finished one starts the next),
  against \`crypto.sign\`/\`crypto.verify\` run synchronously on one thread. The async raw contender uses
  the callback form (libuv thread pool). tessera's async API runs cheap operations (every verify,
  EC/EdDSA sign, HMAC) inline; RSA and P-521 signing go to the pool when another such signature is
  already under way, and run inline when alone (a pool round trip costs more than it saves then).

## Targets

${passed} of ${judged} targets met. The targets: HS256 tessera sync ≥ ${'0.5'}× raw; asymmetric tessera sync
sign and verify ≥ 0.9× raw; verify with a JWK each call ≥ 0.8× the warm key; tessera async ≥ 0.8× tessera
sync; RS256 sign with ${settings.width} in flight ≥ 1.5× single-threaded raw. JWE: every tessera contender
of every case ≥ 0.7× raw, and ≥ 5× jose on the symmetric cases (\`dir\`, AES key wrap). JWT: see its section.

Missed:
${failures}

## Reading the table

- HMAC is so cheap (a few µs) that the work every JWS library must do around it (split the token,
  decode the payload and signature, build the signing input, encode the output) is a large share;
  for RSA, ECDSA and EdDSA the primitive dominates and a good library sits close to raw.
- tessera's async API signs RSA on the thread pool so the event loop stays free. One operation at a
  time, that costs a thread hand-off per token (compare with *raw node:crypto async (pool)*); with
  several in flight it uses the other cores (the *in flight* cases).
- RS256 with 8 in flight: on two vCPUs, RSA signing on libuv's pool reaches 1.75–1.8× one thread
  (raw and tessera alike). With a full GC forced before every slice it reached only 1.4–1.7×: the
  collector's concurrent threads competed with the pool for the two cores.
- Base64url decoding: on this machine (a Xeon with AVX-512), Node's native base64 decoder
  (\`Buffer.from(s, 'base64url')\`, \`atob\`) slows the code that runs after it, although it takes only
  0.1–0.3 µs itself: an RSA-2048 verify after decoding 24 or 342 characters took 1.1–1.2 µs longer
  (6%), after \`atob\` 2.8 µs longer, and an ES256 verify about 8% longer; hex decoding, base64
  encoding, Latin-1 and UTF-8 conversions had no such effect (measured with one probe and the same
  verify on fixed bytes). tessera therefore decodes token segments of up to 4096 characters in
  JavaScript (about 1 ns per character), which keeps RS256/PS256 verify at 0.9× raw instead of 0.86×.
  Raw verify uses precomputed bytes, so it never decodes; the raw JWT contenders decode with Buffer
  and pay the slowdown.
- fast-jwt and jsonwebtoken also parse the payload and check \`exp\`/\`nbf\` on verify; tessera's JWS
  verify and jose's \`compactVerify\` return payload bytes (claims are the JWT layer's job).

## Finding where the time goes

- \`node bench/profile.mjs hs256-verify [seconds]\`: one operation in a loop under V8's CPU
  profiler; prints self and inclusive time per function (cases: hs256-verify, hs256-verify-factory,
  hs256-sign, hs256-sign-factory, es256-verify, es256-sign, eddsa-sign, ps256-verify,
  hs256-verify-jwk-fresh, es256-verify-jwk-fresh).
- \`node --single-threaded-gc bench/breakdown.mjs HS256\`: each step of \`verifyJWSSync\` and
  \`signJWSSync\` timed alone on the same bytes (CPU ns/op, best of several runs).
- JWE: \`node bench/profile.mjs jwe-dir-decrypt [seconds]\` (cases \`jwe-<dir|a256kw|rsa|ecdh|pbes2>-<encrypt|decrypt>\`,
  with \`-async\` for the async API).

## Results: signed tokens (JWS)

${markdownTable(rows.filter((r) => !isJWE(r) && !isJWT(r)))}
${jweSection(rows.filter(isJWE), facts)}${jwtSection(rows.filter(isJWT), facts, markdownTable)}`;
}

const isJWE = (row) => row.case.startsWith('JWE ');

/** The JWE part of the page: how its contenders work, and its table. */
function jweSection(rows, facts) {
  if (rows.length === 0) return '';
  return `
## Results: encrypted tokens (JWE)

Five cases of RFC 7516 compact JWE, each encrypt and decrypt, over the same ${facts.payloadBytes}-byte payload with the
protected header \`{"alg":…,"enc":…}\` (plus \`epk\`, or \`p2s\`/\`p2c\`, where the algorithm adds them).
Keys: a 256-bit AES key (\`dir\`, A256KW), RSA 2048, P-256, a 28-byte password with \`p2c\` 1000.

- **raw node:crypto** is the primitives alone on the same bytes, as a careful application would call them:
  encrypt = random IV (and CEK) + the key management primitive + the content cipher + base64url of the
  parts; decrypt = split + base64url decode + the same primitives in reverse. Per case:
  \`dir\`+A256GCM: \`createCipheriv('aes-256-gcm')\`; A256KW+A256CBC-HS512: \`id-aes256-wrap\` +
  \`aes-256-cbc\` + HMAC-SHA-512 truncated to 256 bits (\`timingSafeEqual\` on decrypt);
  RSA-OAEP-256: \`publicEncrypt\`/\`privateDecrypt\` with \`oaepHash: 'sha256'\` + GCM;
  ECDH-ES+A256KW (P-256): a fresh \`createECDH('prime256v1')\` key (\`generateKeys\`, \`computeSecret\` with the
  recipient's point; node:crypto's cheapest ECDH, and free of Node 20's keygen-job deadlock, see
  src/jwa/platform/node.ts) + Concat KDF (one SHA-256) + key wrap + GCM, the ephemeral public key's x and y
  in the header (decrypt: \`JSON.parse\` of the header, \`createPublicKey\` of the \`epk\` and
  \`diffieHellman\`); PBES2: \`pbkdf2Sync\` 1,000 iterations + key wrap + GCM.
  It does no header validation, allow-lists or limits.
- **tessera factory sync/async**: \`createEncrypterSync\`/\`createDecrypterSync\` once, then
  \`encryptSync\`/\`encrypt\` and \`decryptSync\`/\`decrypt\`. **tessera sync/async**: \`encryptJWESync\`/\`encryptJWE\`
  and \`decryptJWESync\`/\`decryptJWE\` with imported \`TesseraKey\`s and \`{ algorithms: [alg], encryptions: [enc] }\`.
- **jose**: \`CompactEncrypt\`/\`compactDecrypt\` with keys imported once: \`CryptoKey\`s for the
  AES, PBKDF2 and asymmetric keys (so jose does not import a secret per call), and the same allow-lists.
- Every contender's output is checked once before it is timed: tokens are decrypted by an independent
  node:crypto decryptor (bench/jwe-fixtures.mjs), the raw contender's tokens also by tessera, and every
  decryptor must return the payload.
- Targets: ≥ 0.7× raw for every tessera contender; ≥ 5× jose for every tessera contender on the
  symmetric cases (\`dir\` and A256KW), where jose's WebCrypto round trips dominate. PBES2 is symmetric too but
  its 1,000 PBKDF2 iterations dominate every contender alike, so it carries only the raw target.
- Reading it: each \`crypto.randomBytes\` call has a fixed cost (about 5 µs of CPU on this kind of
  machine, for 12 bytes as for 4 kB), paid once per IV and once per CEK by raw and tessera alike; the
  AES key wrap (\`id-aes*-wrap\`) costs a cipher context per call (10–17 µs). jose runs every primitive
  through WebCrypto promises, which is most of its gap on the symmetric cases. The plain functions
  (\`encryptJWE\`, \`decryptJWE\`) keep the last plan per key (encrypt) and route each token by its header (decrypt,
  docs/jwe.md); the factories prepare all of it once.

${markdownTable(rows)}
`;
}
