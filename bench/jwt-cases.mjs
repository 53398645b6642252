// The JWT cases of `npm run bench` (issue 4), in print order, and their part of docs/benchmarks.md.
// Every case name starts with "JWT ", so `--filter jwt` selects them all.
import {
  JWT_TARGETS,
  NESTED_CASES,
  cachedVerifyContenders,
  decodeContenders,
  decodeSetup,
  jwtSetup,
  jwtSignContenders,
  jwtVerifyContenders,
  nestedSetup,
  nestedSignContenders,
  nestedVerifyContenders,
} from './jwt-contenders.mjs';

export const JWT_ALGORITHMS = ['HS256', 'RS256', 'ES256', 'EdDSA'];
/** Rounds per JWT case in a full run (the other cases take 20): keeps `npm run bench` near 5 minutes. */
export const JWT_ROUNDS = 10;
/** The rounds the JWT cases were given in this run (for the docs). */
let roundsUsed = JWT_ROUNDS;

/**
 * The JWT cases. `alg` keys the setup that run.mjs makes once and shares between cases; the
 * builders run lazily, so a filtered run makes only the keys it needs.
 */
export function jwtCases(libs, rounds = JWT_ROUNDS) {
  roundsUsed = rounds;
  const cases = [];
  for (const alg of JWT_ALGORITHMS) {
    const shared = { alg: `JWT ${alg}`, setup: () => jwtSetup(alg, libs) };
    cases.push({ ...shared, name: `JWT ${alg} sign`, build: (s) => jwtSignContenders(s, libs) });
    cases.push({ ...shared, name: `JWT ${alg} verify`, build: (s) => jwtVerifyContenders(s, libs) });
  }
  cases.push({ alg: 'JWT ES256', setup: () => jwtSetup('ES256', libs), name: 'JWT ES256 verify, cached', build: (s) => cachedVerifyContenders(s, libs) });
  for (const name of Object.keys(NESTED_CASES)) {
    const shared = { alg: `JWT nested ${name}`, setup: () => nestedSetup(name, libs) };
    cases.push({ ...shared, name: `JWT nested ${name}, sign+encrypt`, build: (s) => nestedSignContenders(s, libs) });
    cases.push({ ...shared, name: `JWT nested ${name}, decrypt+verify`, build: (s) => nestedVerifyContenders(s, libs) });
  }
  cases.push({ alg: 'JWT decode', setup: () => decodeSetup(libs), name: 'JWT decode (access token)', build: (s) => decodeContenders(s, libs) });
  // The nested cases run a few hundred operations per slice, so one major collection moves a
  // slice by 20–30%: twice the rounds, for a median that holds still.
  return cases.map((c) => ({ ...c, rounds: c.name.startsWith('JWT nested') ? rounds * 2 : rounds }));
}

export const isJWT = (row) => row.case.startsWith('JWT ');

/** The JWT part of docs/benchmarks.md: how its contenders work, and its table (`table` renders rows). */
export function jwtSection(rows, facts, table) {
  if (rows.length === 0) return '';
  const decode = rows.find((r) => r.case.startsWith('JWT decode') && r.contender.startsWith('tessera'));
  const decodeLine = decode ? `\`decodeJWT\` of the access token: **${(1e9 / decode.opsPerSec).toFixed(0)} ns/op** (target < ${JWT_TARGETS.decodeNs} ns).\n` : '';
  return `
## Results: JSON Web Tokens (JWT)

RFC 7519 tokens: the ${facts.payloadBytes}-byte claims set of the JWS cases, header \`{"alg":…,"typ":"JWT"}\`,
the same keys as the JWS cases (HMAC 256-bit, RSA 2048, P-256, Ed25519). Measured as the other cases,
with ${roundsUsed} rounds per case (so that the whole run stays near five minutes), ${roundsUsed * 2} for the nested
cases (a few hundred operations per slice, so one major collection moves a slice by 20–30%).

- **sign**: every contender issues the same claims (the shared set without \`iss\`, \`aud\`, \`exp\`) with
  \`iss\`, \`aud\`, \`iat\` = now and \`exp\` = \`iat\` + 900 s set from its options: tessera
  \`createJWTSignerSync\` once then \`signSync\` (*factory*), or \`signJWTSync\` with
  \`{ alg, typ, issuer, audience, expiresIn }\`; jose \`SignJWT\` (\`setIssuer\`, \`setAudience\`,
  \`setIssuedAt\`, \`setExpirationTime('15m')\`); fast-jwt \`createSigner({ iss, aud, expiresIn })\`;
  jsonwebtoken \`sign(…, { issuer, audience, expiresIn })\`. Raw = \`JSON.stringify\` + base64url of
  the claims, the primitive over the signing input, base64url of the signature.
  Every token is checked with node:crypto (signature, header, exactly those claims) before timing.
- **verify**: every contender verifies one token and checks \`iss\`, \`aud\` and \`exp\`: tessera
  \`createJWTVerifierSync(key, { algorithms, issuer, audience })\` then \`verifySync\` (*factory*),
  or \`verifyJWTSync\`/\`verifyJWT\`; jose \`jwtVerify\` with \`{ algorithms, issuer, audience }\`;
  fast-jwt \`createVerifier({ algorithms, allowedIss, allowedAud, cache: false })\`; jsonwebtoken
  \`verify(…, { algorithms, issuer, audience })\`. Raw = the primitive on the precomputed signing
  input and signature (as in the JWS cases), \`JSON.parse\` of the base64url-decoded payload, and
  three comparisons (\`iss ===\`, \`aud\` equal or included, \`exp > now\`): the honest floor of a JWT verify.
  tessera does more per token: strict base64url and JSON (duplicate members refused), the
  registered claims' types and ranges, \`nbf\`.
- **verify, cached**: the same token verified again and again by a verifier with a verified-token
  cache: tessera \`createJWTVerifierSync(key, { …, cache: { max: 1000 } })\` (the time rules still
  run on every hit), fast-jwt \`createVerifier({ …, cache: 1000 })\` (it hashes the token with
  SHA-256 on every call to look it up). Raw is the uncached floor, for scale. The token is the same
  string object every call, so V8 has its hash already; a new string per request (as a server gets)
  adds a hash of the token to tessera's hit (measured by bench/jwt-breakdown.mjs: tens of ns).
- **nested** (RFC 7519 §5.2): an ES256 JWT inside a JWE with \`cty: "JWT"\`, ECDH-ES+A256KW (P-256)
  or RSA-OAEP-256 (RSA 2048), A256GCM. Sign+encrypt issues the sign-case claims; decrypt+verify opens
  one token and checks \`iss\`, \`aud\`, \`exp\`. tessera \`createNestedJWTSignerSync\`/\`createNestedJWTVerifierSync\`
  then \`signSync\`/\`verifySync\` (*factory*), or \`signAndEncryptJWT(Sync)\`/\`decryptAndVerifyJWT(Sync)\`; jose \`SignJWT\` then
  \`CompactEncrypt\`, and \`compactDecrypt\` then \`jwtVerify\`. Raw = the primitives on the same bytes:
  the raw JWT sign above, then a fresh ephemeral P-256 key (\`createECDH\`, as in the JWE cases) + Concat KDF +
  \`id-aes256-wrap\` (or \`publicEncrypt\` with OAEP SHA-256) + AES-256-GCM; decrypt the reverse
  (\`JSON.parse\` of the header for \`epk\`), then the raw JWT verify on the plaintext. Nested tokens are
  checked by the raw decryptor, and tessera must accept the raw contender's.
- **decode**: untrusted inspection of a typical RFC 9068 access token (ES256, \`typ: at+jwt\`, \`kid\`,
  the shared claims plus \`iat\`): header and claims, no signature. tessera \`decodeJWT\` (strict
  base64url and JSON; its header comes from the JWS header cache, as for a stream of tokens of one
  issuer); jose \`decodeProtectedHeader\` + \`decodeJwt\`; fast-jwt \`createDecoder({ complete: true })\`;
  jsonwebtoken \`decode(…, { complete: true })\`. Raw = \`indexOf\` + base64url + \`JSON.parse\` of both.
- Targets: JWT verify, tessera sync and factory sync ≥ ${JWT_TARGETS.verifyHmac}× raw (HS256) and ≥ ${JWT_TARGETS.verifyAsym}× raw
  (RS256, ES256, EdDSA), \`verifyJWT\` (async) ≥ 0.8× \`verifyJWTSync\` (as for JWS); nested, both directions,
  every tessera contender ≥ ${JWT_TARGETS.nested}× raw; cached verify, tessera factory sync faster than fast-jwt's
  cached verify; \`decodeJWT\` under ${JWT_TARGETS.decodeNs} ns. Sign carries no target (the ratios are shown).
- Reading it: for RS256, ES256 and EdDSA the primitive (30–300 µs) dominates and tessera sits near raw.
  HS256's HMAC takes about 2 µs, and the JSON a JWT needs about 1 µs more. tessera verifies through a
  plan made once per key (docs/jws.md), compares the MAC with the signature segment as base64url text
  (no decoding, no byte arrays) and decodes the claims straight to text; its strict checks (duplicate
  members, claim types and ranges) cost well under 1 µs (\`bench/jwt-breakdown.mjs\` times each step).
  A cached hit is a Map lookup plus
  the time rules (under 100 ns); fast-jwt hashes the token on every lookup (about 2 µs). Decode:
  \`JSON.parse\` of the 340-byte payload alone takes 0.6 µs on this machine, and the raw floor
  (base64url through Buffer, \`JSON.parse\` of both parts, no checks at all) 1.6–1.7 µs, so the 1 µs
  target is out of reach of any decoder that parses the claims here. tessera decodes the claims in
  JavaScript (see "Base64url decoding" above), checks them strictly (duplicate members, lone
  surrogates) and reads a repeated header from a memo, at about the raw floor. Raw encrypt calls \`randomBytes\` per IV and CEK (about 5 µs each
  here), while tessera draws them from a pool, which is why tessera can beat it.
${decodeLine}
Profile: \`node bench/profile.mjs jwt-<case> [seconds]\` (cases \`jwt-hs256-verify\`, \`jwt-es256-verify-factory\`,
\`jwt-es256-verify-cached\`, \`jwt-nested-ecdh-verify\`, \`jwt-decode\`, …; see bench/jwt-profile.mjs);
\`node --single-threaded-gc bench/jwt-breakdown.mjs ES256\`: each step of a JWT verify timed alone (CPU ns/op).

${table(rows)}
`;
}
