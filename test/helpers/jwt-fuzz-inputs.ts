/**
 * The JWT fuzzer's input generators: a seeded PRNG, and the mix of random and mutated tokens
 * (random strings, random base64url segments with 3 and 5 parts, bit flips in decoded parts,
 * character edits, non-canonical base64url, segment swaps between tokens, truncation, duplicated
 * parts, hostile headers, and tokens forged under a fixture key with hostile headers or claims).
 *
 * Each generated case says what a correct verifier must do with it: `refuse` (a mutation of a
 * signed or encrypted token, or content no verifier may accept even when validly signed), or
 * `either` (validly signed content that may be acceptable; the runner then checks the result
 * against an independent statement of the claim rules).
 */
import {
  AUD,
  EXP,
  IAT,
  ISS,
  KEYS,
  b64u,
  deflate,
  fixtureClaims,
  forgeDirGCM,
  forgeHS256,
  unb64u,
  type FixtureToken,
  type Fixtures,
  type Target,
} from './jwt-fuzz-fixtures.ts';

// ---------------------------------------------------------------------------------------------
// PRNG: sfc32, seeded per token from (seed, index) with splitmix32, so any one token can be
// regenerated without replaying the ones before it.

function splitmix32(a: number): () => number {
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number, index: number) {
    const mix = splitmix32((seed ^ Math.imul(index, 0x27d4eb2f)) | 0);
    this.#a = mix();
    this.#b = mix();
    this.#c = mix();
    this.#d = mix() ^ index;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return n <= 0 ? 0 : Math.floor((this.next() / 0x1_0000_0000) * n);
  }

  chance(p: number): boolean {
    return this.next() / 0x1_0000_0000 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.next() & 0xff;
    return out;
  }

  /** A length, mostly short: up to `short`, sometimes up to `long`. */
  length(short: number, long: number): number {
    return this.chance(0.85) ? this.int(short + 1) : this.int(long + 1);
  }
}

// ---------------------------------------------------------------------------------------------
// Cases.

export type Oracle = 'refuse' | 'either';

export interface Case {
  readonly generator: string;
  readonly token: string;
  readonly targets: readonly Target[];
  readonly oracle: Oracle;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const NASTY = ['.', '=', '+', '/', ' ', '\n', '\t', '\r', '\u0000', 'é', '\ud800', '\udfff', '"', '{', '}', '\\', '%', '\u202e', '\ufeff', '\u00a0', '..', '=='];

function randomChars(rng: Rng, n: number, alphabet: 'b64url' | 'b64url+dots' | 'ascii' | 'utf16' | 'nasty'): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    switch (alphabet) {
      case 'b64url':
        s += B64URL[rng.int(64)];
        break;
      case 'b64url+dots':
        s += rng.chance(0.05) ? '.' : B64URL[rng.int(64)];
        break;
      case 'ascii':
        s += String.fromCharCode(32 + rng.int(95));
        break;
      case 'utf16':
        s += String.fromCharCode(rng.int(0x10000));
        break;
      case 'nasty':
        s += rng.chance(0.5) ? rng.pick(NASTY) : B64URL[rng.int(64)];
        break;
    }
  }
  return s;
}

const tokenChar = (rng: Rng): string => (rng.chance(0.8) ? (B64URL[rng.int(64)] as string) : rng.pick(NASTY));

// Random JSON-ish text, biased to JOSE and JWT member names and values, sometimes broken.
const NAMES = ['alg', 'enc', 'zip', 'crit', 'kid', 'typ', 'cty', 'epk', 'p2c', 'p2s', 'iv', 'tag', 'b64', 'jwk', 'jku', 'x5c', 'iss', 'aud', 'exp', 'nbf', 'iat', 'sub', 'jti', '__proto__', 'constructor', '', 'x'];
const VALUES = [
  '"HS256"', '"ES256"', '"EdDSA"', '"RS256"', '"none"', '"dir"', '"A256GCM"', '"A256KW"', '"ECDH-ES+A256KW"', '"RSA-OAEP-256"', '"PBES2-HS256+A128KW"', '"DEF"', '"JWT"',
  `"${ISS}"`, `"${AUD}"`, '0', '-1', '1e400', '9007199254740993', '1.5', `${EXP}`, 'true', 'false', 'null', '[]', '{}', '["b64"]', '[1]', '""', '"\\ud800"',
];

function randomJSON(rng: Rng, depth = 0): string {
  const r = rng.int(10);
  if (depth > 3 || r < 4) return rng.pick(VALUES);
  if (r < 6) {
    const items = Array.from({ length: rng.int(4) }, () => randomJSON(rng, depth + 1));
    return `[${items.join(',')}]`;
  }
  const members = Array.from({ length: rng.int(6) }, () => `"${rng.pick(NAMES)}":${randomJSON(rng, depth + 1)}`);
  const text = `{${members.join(',')}}`;
  return rng.chance(0.1) ? text.slice(0, rng.int(text.length)) : text;
}

function randomSegment(rng: Rng): string {
  switch (rng.int(7)) {
    case 0:
      return '';
    case 1:
      return b64u(rng.bytes(rng.length(64, 600)));
    case 2:
      return randomChars(rng, rng.length(40, 400), 'b64url');
    case 3:
      return b64u(randomJSON(rng));
    case 4:
      return b64u(`{"alg":${rng.pick(VALUES)},"enc":${rng.pick(VALUES)}${rng.chance(0.5) ? `,"${rng.pick(NAMES)}":${randomJSON(rng, 1)}` : ''}}`);
    case 5:
      return Buffer.from(rng.bytes(rng.length(48, 300))).toString('base64'); // standard alphabet, padded
    default:
      return randomChars(rng, rng.length(40, 200), 'nasty');
  }
}

// ---------------------------------------------------------------------------------------------
// Hostile headers: each a change to a real header (an object), with what a verifier must do when
// the result is VALIDLY signed (`refuse`, or `either` when it may be acceptable). When the header
// is swapped into an existing token without re-signing, every one of them must be refused.

type Header = Record<string, unknown>;
interface HeaderEdit {
  readonly name: string;
  readonly apply: (h: Header, rng: Rng) => string | Uint8Array;
  readonly signed: Oracle;
}

const json = (h: Header): string => JSON.stringify(h);
const set = (name: string, value: unknown, signed: Oracle): HeaderEdit => ({ name: `${name}=${JSON.stringify(value)?.slice(0, 24)}`, apply: (h) => json({ ...h, [name]: value }), signed });
const without = (name: string, signed: Oracle): HeaderEdit => ({
  name: `no ${name}`,
  apply: (h) => json(Object.fromEntries(Object.entries(h).filter(([k]) => k !== name))),
  signed,
});
const raw = (name: string, text: string | Uint8Array, signed: Oracle): HeaderEdit => ({ name, apply: () => text, signed });
const deep = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;

/** Edits any header (JWS or JWE) can take. */
const COMMON_EDITS: readonly HeaderEdit[] = [
  set('alg', 'none', 'refuse'),
  set('alg', 'None', 'refuse'),
  set('alg', 'NONE', 'refuse'),
  set('alg', '', 'refuse'),
  set('alg', null, 'refuse'),
  set('alg', 5, 'refuse'),
  set('alg', ['HS256'], 'refuse'),
  without('alg', 'refuse'),
  set('crit', ['urn:fuzz'], 'refuse'),
  { name: 'crit unknown, present', apply: (h) => json({ ...h, 'urn:fuzz': true, crit: ['urn:fuzz'] }), signed: 'refuse' },
  set('crit', [], 'refuse'),
  set('crit', 'urn:fuzz', 'refuse'),
  set('crit', ['alg'], 'refuse'),
  set('crit', ['exp'], 'refuse'),
  set('crit', [1], 'refuse'),
  { name: 'crit duplicate', apply: (h) => json({ ...h, 'urn:fuzz': 1, crit: ['urn:fuzz', 'urn:fuzz'] }), signed: 'refuse' },
  set('kid', {}, 'refuse'),
  set('kid', 'k'.repeat(2000), 'either'),
  set('typ', 5, 'refuse'),
  set('cty', [], 'refuse'),
  set('x5c', 'x', 'refuse'),
  set('jwk', 'x', 'refuse'),
  set('jku', 'http://169.254.169.254/keys', 'either'),
  set('x5u', 'https://evil.example/cert', 'either'),
  set('urn:unknown', { deep: [1, 2] }, 'either'),
  set('x', deep(40), 'either'),
  { name: 'duplicate alg', apply: (h) => json(h).replace('{', '{"alg":"none",'), signed: 'refuse' },
  { name: 'duplicate alg, escaped', apply: (h) => json(h).replace('{', '{"\\u0061lg":"none",'), signed: 'refuse' },
  { name: '__proto__ member', apply: (h) => json(h).replace('{', '{"__proto__":{"alg":"none","crit":["x"]},'), signed: 'either' },
  { name: 'trailing whitespace', apply: (h) => `${json(h)} `, signed: 'either' },
  { name: 'leading BOM', apply: (h) => `\ufeff${json(h)}`, signed: 'refuse' },
  { name: 'lone surrogate', apply: (h) => json(h).replace('{', '{"x":"\\ud800",'), signed: 'refuse' },
  { name: 'invalid UTF-8', apply: (h) => Buffer.concat([Buffer.from(json(h).slice(0, -1)), Buffer.from([0x2c, 0x22, 0x78, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d])]), signed: 'refuse' },
  { name: 'huge header', apply: (h) => json({ ...h, pad: 'p'.repeat(9000) }), signed: 'refuse' },
  { name: 'deeply nested member', apply: (h) => json(h).replace('{', `{"deep":${deep(4000)},`), signed: 'either' },
  raw('array', '[]', 'refuse'),
  raw('null', 'null', 'refuse'),
  raw('string', '"HS256"', 'refuse'),
  raw('number', '1', 'refuse'),
  raw('empty object', '{}', 'refuse'),
  raw('empty', '', 'refuse'),
  { name: 'truncated JSON', apply: (h, rng) => json(h).slice(0, 1 + rng.int(json(h).length - 1)), signed: 'refuse' },
];

/** JWS-only edits (RFC 7515, RFC 7797). */
const JWS_EDITS: readonly HeaderEdit[] = [
  ...COMMON_EDITS,
  set('alg', 'HS512', 'refuse'),
  set('alg', 'RS256', 'refuse'),
  set('alg', 'ES256', 'refuse'),
  set('alg', 'EdDSA', 'refuse'),
  set('alg', 'PS256', 'refuse'),
  set('alg', 'dir', 'refuse'),
  set('alg', 'HS256 ', 'refuse'),
  set('b64', false, 'refuse'),
  { name: 'b64 false, critical', apply: (h) => json({ ...h, b64: false, crit: ['b64'] }), signed: 'refuse' },
  { name: 'b64 true, critical', apply: (h) => json({ ...h, b64: true, crit: ['b64'] }), signed: 'either' },
  set('b64', 'false', 'refuse'),
  set('zip', 'DEF', 'either'),
  set('enc', 'A256GCM', 'either'),
  set('typ', 'at+jwt', 'either'),
  set('cty', 'JWT', 'either'),
];

const P256_X = KEYS.ecdh.x as string;
const P256_Y = KEYS.ecdh.y as string;
const OFF_CURVE_Y = b64u(Buffer.from(unb64u(P256_Y).map((b, i) => (i === 31 ? b ^ 1 : b))));
const EPKS: readonly unknown[] = [
  'garbage', 5, null, [], {}, { kty: 'EC' }, { kty: 'EC', crv: 'P-256' }, { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' },
  { kty: 'EC', crv: 'P-256', x: P256_X, y: OFF_CURVE_Y },
  { kty: 'EC', crv: 'P-256', x: b64u(new Uint8Array(32)), y: b64u(new Uint8Array(32)) },
  { kty: 'EC', crv: 'P-384', x: P256_X, y: P256_Y },
  { kty: 'EC', crv: 'P-256', x: P256_X, y: P256_Y, d: KEYS.ecdh.d },
  { kty: 'EC', crv: 'secp256k1', x: P256_X, y: P256_Y },
  { kty: 'OKP', crv: 'X25519', x: b64u(new Uint8Array(32)) },
  { kty: 'OKP', crv: 'Ed25519', x: P256_X },
  { kty: 'RSA', n: 'AQAB', e: 'AQAB' },
  { kty: 'oct', k: 'AAAA' },
  { kty: 'EC', crv: 'P-256', x: P256_X.repeat(40), y: P256_Y },
  { kty: 'EC', crv: 'P-256', x: 5, y: [] },
];
const P2CS: readonly unknown[] = [2147483647, 1e300, 2 ** 53 + 2, -1, 0, 1.5, '1000', null, 999, 10_001, 100_000_000];
const B64_GARBAGE: readonly unknown[] = ['', 'A', 'AA', '!!', 'AA==', '+/+/', 'x'.repeat(10_000), 5, null, []];

// RFC 7518 §4.8.1.2: p2c is a positive integer; tessera caps it (maxPBES2Count) before deriving.
const P2C_EDITS: readonly HeaderEdit[] = P2CS.map((p2c) => ({
  name: `PBES2 with p2c ${JSON.stringify(p2c)}`,
  apply: (h: Header) => json({ ...h, alg: 'PBES2-HS256+A128KW', p2s: 'AAAAAAAAAAAAAAAAAAAAAA', p2c }),
  signed: 'refuse' as const,
}));

/** JWE-only edits (RFC 7516, RFC 7518 §4). */
const JWE_EDITS: readonly HeaderEdit[] = [
  ...COMMON_EDITS,
  set('alg', 'RSA1_5', 'refuse'),
  // `either`: a no-op on the forged `dir` tokens (swapped into other tokens unsigned, it must still be refused).
  set('alg', 'dir', 'either'),
  set('alg', 'A128KW', 'refuse'),
  set('alg', 'ECDH-ES', 'refuse'),
  set('alg', 'RSA-OAEP', 'refuse'),
  set('alg', 'HS256', 'refuse'),
  set('enc', 'A128GCM', 'refuse'),
  set('enc', 'A256CBC-HS512', 'refuse'),
  set('enc', 'none', 'refuse'),
  set('enc', 5, 'refuse'),
  without('enc', 'refuse'),
  set('zip', 'GZIP', 'refuse'),
  set('zip', 'def', 'refuse'),
  set('zip', '', 'refuse'),
  set('zip', 1, 'refuse'),
  set('zip', null, 'refuse'),
  ...EPKS.map((epk) => ({ ...set('epk', epk, 'either'), name: `epk ${JSON.stringify(epk)?.slice(0, 30)}` })),
  ...P2C_EDITS,
  ...B64_GARBAGE.flatMap((v) => ['p2s', 'iv', 'tag', 'apu', 'apv'].map((m) => ({ ...set(m, v, 'either'), name: `${m} ${JSON.stringify(v)?.slice(0, 12)}` }))),
  // RFC 7519 §5.3 replicated claims: whether they match depends on the claims; the soundness oracle decides.
  set('iss', 'https://evil.example', 'either'),
  set('aud', [AUD], 'either'),
  set('sub', 5, 'either'),
  set('iss', ISS, 'either'),
];

/** A JWE's outer header for a nested token: edits that keep `cty` as written. */
const NESTED_CTY_EDITS: readonly HeaderEdit[] = [
  without('cty', 'refuse'),
  set('cty', 'jwt', 'either'),
  set('cty', 'application/JWT', 'either'),
  set('cty', 'JWS', 'refuse'),
  set('cty', 'application/jwt; charset=utf-8', 'refuse'),
  set('cty', 5, 'refuse'),
];

// ---------------------------------------------------------------------------------------------
// Claims sets for forged tokens: text, and what a verifier must do with them.

interface ClaimEdit {
  readonly name: string;
  readonly text: (rng: Rng) => string | Uint8Array;
  readonly outcome: Oracle;
}

const base = (): Record<string, unknown> => fixtureClaims(9999) as Record<string, unknown>;
/** A claims text made once, on first use (most are constant; one is 300 KB). */
const once = (make: () => string | Uint8Array): (() => string | Uint8Array) => {
  let text: string | Uint8Array | undefined;
  return () => (text ??= make());
};
const claims = (name: string, change: Record<string, unknown>, outcome: Oracle): ClaimEdit => ({
  name,
  text: once(() => JSON.stringify({ ...base(), ...change })),
  outcome,
});
const claimsWithout = (member: string, outcome: Oracle): ClaimEdit => ({
  name: `no ${member}`,
  text: once(() => JSON.stringify(Object.fromEntries(Object.entries(base()).filter(([k]) => k !== member)))),
  outcome,
});
const claimsText = (name: string, text: string, outcome: Oracle): ClaimEdit => ({ name, text: () => text, outcome });
const baseText = (): string => JSON.stringify(base());

const CLAIM_EDITS: readonly ClaimEdit[] = [
  claims('valid', {}, 'either'),
  claims('exp string', { exp: String(EXP) }, 'refuse'),
  claimsText('exp 1e400', baseText().replace(`"exp":${EXP}`, '"exp":1e400'), 'refuse'),
  claimsText('exp written 4.1024448e9', baseText().replace(`"exp":${EXP}`, '"exp":4.1024448e9'), 'either'),
  claimsText('exp -0', baseText().replace(`"exp":${EXP}`, '"exp":-0'), 'refuse'),
  claims('exp negative', { exp: -1 }, 'refuse'),
  claims('exp beyond 2^53', { exp: 2 ** 53 + 2 }, 'refuse'),
  claims('exp beyond year 9999', { exp: 253402300800 }, 'refuse'),
  claims('exp past', { exp: 1000 }, 'refuse'),
  claims('exp fraction', { exp: EXP + 0.5 }, 'either'),
  claims('exp null', { exp: null }, 'refuse'),
  claims('exp true', { exp: true }, 'refuse'),
  claims('exp array', { exp: [EXP] }, 'refuse'),
  claimsWithout('exp', 'refuse'),
  claims('nbf future', { nbf: EXP - 1 }, 'refuse'),
  claims('nbf past', { nbf: IAT }, 'either'),
  claims('nbf string', { nbf: String(IAT) }, 'refuse'),
  claims('iat future', { iat: EXP - 1 }, 'refuse'),
  claims('iat negative', { iat: -5 }, 'refuse'),
  claims('iss array', { iss: [ISS] }, 'refuse'),
  claims('iss number', { iss: 5 }, 'refuse'),
  claims('iss other', { iss: 'https://evil.example' }, 'refuse'),
  claims('iss case', { iss: ISS.toUpperCase() }, 'refuse'),
  claimsWithout('iss', 'refuse'),
  claims('aud with a number', { aud: [AUD, 5] }, 'refuse'),
  claims('aud empty', { aud: [] }, 'refuse'),
  claims('aud array', { aud: [AUD] }, 'either'),
  claims('aud array, second', { aud: ['https://other.example', AUD] }, 'either'),
  claims('aud other', { aud: 'https://other.example' }, 'refuse'),
  claims('aud object', { aud: { 0: AUD } }, 'refuse'),
  claims('aud null', { aud: null }, 'refuse'),
  claimsWithout('aud', 'refuse'),
  claims('sub number', { sub: 5 }, 'refuse'),
  claims('jti object', { jti: {} }, 'refuse'),
  claimsText('duplicate exp', baseText().replace('{', '{"exp":1,'), 'refuse'),
  claimsText('duplicate iss, escaped', baseText().replace('{', '{"\\u0069ss":"https://evil.example",'), 'refuse'),
  claimsText('__proto__ claim', baseText().replace('{', '{"__proto__":{"iss":"https://evil.example","admin":true},'), 'either'),
  claimsText('constructor claim', baseText().replace('{', '{"constructor":{"prototype":{"admin":true}},'), 'either'),
  claimsText('lone surrogate', baseText().replace('{', '{"x":"\\udc00",'), 'either'),
  claimsText('deeply nested claim', baseText().replace('{', `{"deep":${deep(3000)},`), 'either'),
  claimsText('array', '[]', 'refuse'),
  claimsText('null', 'null', 'refuse'),
  claimsText('string', '"claims"', 'refuse'),
  claimsText('number', String(EXP), 'refuse'),
  claimsText('empty', '', 'refuse'),
  claimsText('truncated', baseText().slice(0, -1), 'refuse'),
  // A UTF-8-encoded surrogate (ED A0 80) is not UTF-8 (RFC 3629 §3).
  { name: 'invalid UTF-8', text: once(() => Buffer.concat([Buffer.from(baseText().slice(0, -1)), Buffer.from([0x2c, 0x22, 0x78, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d])])), outcome: 'refuse' },
  { name: 'huge', text: once(() => JSON.stringify({ ...base(), pad: 'p'.repeat(300_000) })), outcome: 'refuse' },
  { name: 'random JSON', text: (rng) => randomJSON(rng), outcome: 'either' },
];

const combine = (a: Oracle, b: Oracle): Oracle => (a === 'refuse' || b === 'refuse' ? 'refuse' : 'either');

// A decompression bomb, made once: 5 MB of zeros (20 times the default cap), raw DEFLATE (about 5 KB).
let bomb: Buffer | undefined;
const deflateBomb = (): Buffer => (bomb ??= deflate(Buffer.alloc(5_000_000)));

// ---------------------------------------------------------------------------------------------
// Generators.

interface Context {
  readonly fx: Fixtures;
  readonly rng: Rng;
  readonly byKind: Readonly<Record<'verify' | 'decrypt' | 'nested', readonly Target[]>>;
}

function weightedToken(ctx: Context): FixtureToken {
  const tokens = ctx.fx.tokens;
  for (;;) {
    const t = ctx.rng.pick(tokens);
    if (ctx.rng.chance(t.target.weight)) return t;
  }
}

/** The fixture's own target, and sometimes one of another kind (a JWE to a verifier, …). */
function targetsFor(ctx: Context, t: Target): Target[] {
  return ctx.rng.chance(0.15) ? [t, ctx.rng.pick(ctx.fx.targets)] : [t];
}

/** One verifier, one decrypter and one nested verifier. */
const oneOfEach = (ctx: Context): Target[] => [ctx.rng.pick(ctx.byKind.verify), ctx.rng.pick(ctx.byKind.decrypt), ctx.rng.pick(ctx.byKind.nested)];

const target = (ctx: Context, name: string): Target => ctx.fx.targets.find((t) => t.name === name) as Target;

function mutate(ctx: Context, token: string, generator: string): string {
  const { rng } = ctx;
  const parts = token.split('.');
  const i = rng.int(parts.length);
  const part = parts[i] as string;
  switch (generator) {
    case 'bit flips': {
      const bytes = unb64u(part);
      if (bytes.length === 0) {
        parts[i] = b64u(rng.bytes(1 + rng.int(16)));
      } else {
        for (let n = 1 + rng.int(3); n > 0; n--) {
          const at = rng.int(bytes.length);
          bytes[at] = (bytes[at] as number) ^ (1 << rng.int(8));
        }
        parts[i] = b64u(bytes);
      }
      return parts.join('.');
    }
    case 'character edits': {
      const at = rng.int(token.length + 1);
      const op = rng.int(3);
      if (op === 0) return token.slice(0, at) + tokenChar(rng) + token.slice(at + 1);
      if (op === 1) return token.slice(0, at) + randomChars(rng, 1 + rng.int(4), 'nasty') + token.slice(at);
      return token.slice(0, at) + token.slice(at + 1 + rng.int(6));
    }
    case 'non-canonical base64url': {
      // Same bytes under a lenient decoder: unused low bits set, padding, the standard alphabet, whitespace.
      const op = rng.int(4);
      if (op === 0 && part.length % 4 >= 2) {
        const last = B64URL.indexOf(part[part.length - 1] as string);
        const mask = part.length % 4 === 2 ? 15 : 3;
        parts[i] = part.slice(0, -1) + B64URL[last ^ (1 + rng.int(mask))];
      } else if (op === 1) {
        parts[i] = `${part}${'='.repeat(1 + rng.int(2))}`;
      } else if (op === 2 && /[-_]/.test(part)) {
        parts[i] = part.replace(/[-_]/, (c) => (c === '-' ? '+' : '/'));
      } else {
        const at = rng.int(part.length + 1);
        parts[i] = part.slice(0, at) + rng.pick([' ', '\n', '\t', '\r\n']) + part.slice(at);
      }
      return parts.join('.');
    }
    case 'segment swaps': {
      const other = ctx.rng.pick(ctx.fx.tokens).token.split('.');
      if (rng.chance(0.3) && parts.length > 1) {
        const j = rng.int(parts.length);
        [parts[i], parts[j]] = [parts[j] as string, part];
      } else {
        parts[i] = other[rng.chance(0.6) && i < other.length ? i : rng.int(other.length)] as string;
      }
      return parts.join('.');
    }
    case 'truncation': {
      const op = rng.int(3);
      if (op === 0) return token.slice(0, rng.int(token.length));
      if (op === 1) {
        parts.splice(i, 1);
        return parts.join('.');
      }
      parts[i] = part.slice(0, rng.int(part.length));
      return parts.join('.');
    }
    case 'duplicated parts': {
      const op = rng.int(4);
      if (op === 0) parts.splice(i, 0, part);
      else if (op === 1) parts[rng.int(parts.length)] = part;
      else if (op === 2) return `${token}.${token}`;
      else parts[i] = part + part;
      return parts.join('.');
    }
    default:
      throw new Error(`unknown mutation ${generator}`);
  }
}

function parsedHeader(token: string): Header {
  try {
    return JSON.parse(unb64u(token.split('.')[0] as string).toString('utf8')) as Header;
  } catch {
    return {};
  }
}

const MUTATIONS = ['bit flips', 'character edits', 'non-canonical base64url', 'segment swaps', 'truncation', 'duplicated parts'] as const;

/** A forged inner JWS for the nested HS256 target: a hostile header or claims, validly signed. */
function forgedInnerHS256(ctx: Context): { jws: string; oracle: Oracle; name: string } {
  const { rng } = ctx;
  const claimEdit = rng.chance(0.5) ? rng.pick(CLAIM_EDITS) : CLAIM_EDITS[0];
  const headerEdit = rng.chance(0.5) ? rng.pick(JWS_EDITS) : undefined;
  const header = headerEdit ? headerEdit.apply({ alg: 'HS256' }, rng) : '{"alg":"HS256"}';
  const ce = claimEdit as ClaimEdit;
  return {
    jws: forgeHS256(header, ce.text(rng), KEYS.nestedHS256),
    oracle: combine(ce.outcome, headerEdit?.signed ?? 'either'),
    name: `${headerEdit?.name ?? 'header ok'} / ${ce.name}`,
  };
}

const GENERATORS: ReadonlyArray<readonly [name: string, weight: number, make: (ctx: Context) => Case]> = [
  ['random strings', 6, (ctx) => {
    const alphabet = ctx.rng.pick(['b64url+dots', 'ascii', 'utf16', 'nasty'] as const);
    return { generator: `random strings (${alphabet})`, token: randomChars(ctx.rng, ctx.rng.length(120, 3000), alphabet), targets: oneOfEach(ctx), oracle: 'refuse' };
  }],
  ['random base64url, 3 parts', 6, (ctx) => ({
    generator: 'random base64url, 3 parts',
    token: [randomSegment(ctx.rng), randomSegment(ctx.rng), randomSegment(ctx.rng)].join('.'),
    targets: oneOfEach(ctx),
    oracle: 'refuse',
  })],
  ['random base64url, 5 parts', 6, (ctx) => ({
    generator: 'random base64url, 5 parts',
    token: Array.from({ length: 5 }, () => randomSegment(ctx.rng)).join('.'),
    targets: oneOfEach(ctx),
    oracle: 'refuse',
  })],
  ['random part counts', 2, (ctx) => ({
    generator: 'random part counts',
    token: Array.from({ length: ctx.rng.pick([0, 1, 2, 4, 6, 7, 40]) }, () => randomSegment(ctx.rng)).join('.'),
    targets: oneOfEach(ctx),
    oracle: 'refuse',
  })],
  ...MUTATIONS.map((m) => [m, m === 'bit flips' ? 16 : m === 'non-canonical base64url' ? 5 : 7, (ctx: Context): Case => {
    const t = weightedToken(ctx);
    return { generator: m, token: mutate(ctx, t.token, m), targets: targetsFor(ctx, t.target), oracle: 'refuse' };
  }] as const),
  ['hostile headers', 12, (ctx) => {
    const t = weightedToken(ctx);
    const parts = t.token.split('.');
    let edits = parts.length === 5 ? JWE_EDITS : JWS_EDITS;
    // The edits only some targets can reach past their allow-list get a larger share there.
    if (t.target.kind === 'nested' && ctx.rng.chance(0.3)) edits = NESTED_CTY_EDITS;
    if (t.target.name.includes('PBES2') && ctx.rng.chance(0.8)) edits = P2C_EDITS;
    const edit = ctx.rng.pick(edits);
    parts[0] = b64u(edit.apply(parsedHeader(t.token), ctx.rng));
    // Not re-signed: the header is covered by the signature (RFC 7515 §5.2) or the tag (RFC 7516 §5.2).
    return { generator: `hostile headers: ${edit.name}`, token: parts.join('.'), targets: targetsFor(ctx, t.target), oracle: 'refuse' };
  }],
  ['forged JWS', 7, (ctx) => {
    const { rng } = ctx;
    const edit = rng.chance(0.6) ? rng.pick(JWS_EDITS) : undefined;
    const ce = rng.chance(0.6) ? rng.pick(CLAIM_EDITS) : (CLAIM_EDITS[0] as ClaimEdit);
    const header = edit ? edit.apply(rng.chance(0.5) ? { alg: 'HS256' } : { alg: 'HS256', typ: 'JWT' }, rng) : '{"alg":"HS256"}';
    return {
      generator: `forged JWS: ${edit?.name ?? 'header ok'} / ${ce.name}`,
      token: forgeHS256(header, ce.text(rng), KEYS.hs256),
      targets: [target(ctx, 'verify HS256')],
      oracle: combine(edit?.signed ?? 'either', ce.outcome),
    };
  }],
  ['forged JWE', 5, (ctx) => {
    const { rng } = ctx;
    const edit = rng.chance(0.6) ? rng.pick(JWE_EDITS) : undefined;
    const header: Header = { alg: 'dir', enc: 'A256GCM' };
    const zip = !edit && rng.chance(0.25) ? rng.int(3) : -1;
    const ce = rng.chance(0.6) ? rng.pick(CLAIM_EDITS) : (CLAIM_EDITS[0] as ClaimEdit);
    const text: string | Uint8Array = edit ? edit.apply(header, rng) : json(zip >= 0 ? { ...header, zip: 'DEF' } : header);
    let plaintext = ce.text(rng);
    let oracle = combine(edit?.signed ?? 'either', ce.outcome);
    let name = `${edit?.name ?? 'header ok'} / ${ce.name}`;
    if (zip === 0) plaintext = deflate(plaintext);
    else if (zip === 1) [plaintext, oracle, name] = [deflateBomb(), 'refuse', 'zip DEF bomb'];
    else if (zip === 2) [plaintext, oracle, name] = [rng.bytes(1 + rng.int(64)), 'refuse', 'zip DEF garbage'];
    return {
      generator: `forged JWE: ${name}`,
      token: forgeDirGCM(text, plaintext, KEYS.dir, rng.bytes(12)),
      targets: [target(ctx, 'decrypt dir + A256GCM')],
      oracle,
    };
  }],
  ['forged nested', 6, (ctx) => {
    const { rng } = ctx;
    const outer: Header = { alg: 'dir', enc: 'A256GCM', cty: 'JWT' };
    const es = 'nested ES256 in dir + A256GCM';
    const hs = 'nested HS256 in dir + A256GCM';
    const variant = rng.int(8);
    let inner: string;
    let oracle: Oracle;
    let name: string;
    let t = hs;
    let header: string | Uint8Array = json(outer);
    const validInner = (which: string) => rng.pick(ctx.fx.inner.get(which) ?? []);
    if (variant <= 1) {
      ({ jws: inner, oracle, name } = forgedInnerHS256(ctx));
    } else if (variant === 2) {
      t = es;
      const m = rng.pick(MUTATIONS);
      inner = mutate(ctx, validInner(es), m);
      oracle = ctx.fx.validFor.get(inner) === `${es} (inner)` ? 'either' : 'refuse';
      name = `inner ${m}`;
    } else if (variant === 3) {
      inner = `${b64u(rng.pick(['{"alg":"none"}', '{"alg":"none","typ":"JWT"}', '{"alg":"NONE"}']))}.${b64u(JSON.stringify(fixtureClaims(1)))}.${rng.chance(0.5) ? '' : 'AAAA'}`;
      [oracle, name] = ['refuse', 'inner alg none'];
    } else if (variant === 4) {
      inner = rng.chance(0.5) ? rng.pick(ctx.fx.tokens.filter((x) => x.token.split('.').length === 5)).token : randomChars(rng, rng.length(100, 1000), 'utf16');
      [oracle, name] = ['refuse', 'inner a JWE or junk'];
    } else if (variant === 5) {
      const edit = rng.pick(NESTED_CTY_EDITS);
      header = edit.apply(outer, rng);
      inner = validInner(hs);
      [oracle, name] = [edit.signed, `outer ${edit.name}`];
    } else if (variant === 6) {
      const edit = rng.pick(JWE_EDITS);
      header = edit.apply(outer, rng);
      inner = validInner(hs);
      [oracle, name] = [edit.signed, `outer ${edit.name}`];
    } else {
      header = json({ ...outer, zip: 'DEF' });
      inner = validInner(hs);
      [oracle, name] = ['either', 'outer zip DEF'];
      return { generator: `forged nested: ${name}`, token: forgeDirGCM(header, deflate(inner), KEYS.nestedDirHS, rng.bytes(12)), targets: [target(ctx, t)], oracle };
    }
    const key = t === es ? KEYS.nestedDir : KEYS.nestedDirHS;
    return { generator: `forged nested: ${name}`, token: forgeDirGCM(header, inner, key, rng.bytes(12)), targets: [target(ctx, t)], oracle };
  }],
];

const TOTAL_WEIGHT = GENERATORS.reduce((s, g) => s + g[1], 0);

/** The names of the generator families (for coverage checks). */
export const GENERATOR_FAMILIES: readonly string[] = GENERATORS.map((g) => g[0]);

const kinds = new WeakMap<Fixtures, Context['byKind']>();

/** The case for token `index` of the run with `seed`. */
export function generate(fx: Fixtures, seed: number, index: number): Case & { readonly family: string; readonly rng: Rng } {
  const rng = new Rng(seed, index);
  let byKind = kinds.get(fx);
  if (byKind === undefined) {
    byKind = {
      verify: fx.targets.filter((t) => t.kind === 'verify'),
      decrypt: fx.targets.filter((t) => t.kind === 'decrypt'),
      nested: fx.targets.filter((t) => t.kind === 'nested'),
    };
    kinds.set(fx, byKind);
  }
  const ctx: Context = { fx, rng, byKind };
  let r = rng.int(TOTAL_WEIGHT);
  for (const [family, weight, make] of GENERATORS) {
    if (r < weight) return { ...make(ctx), family, rng };
    r -= weight;
  }
  throw new Error('unreachable');
}
