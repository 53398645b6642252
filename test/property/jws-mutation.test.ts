/**
 * Property tests: a mutated valid token never verifies, and verification never fails with anything
 * but a TesseraError (THREATS.md §11, §26). Random headers, signed with a valid HMAC so that only
 * the header rules can refuse them, are accepted exactly when an independent oracle says so.
 *
 * fast-check prints the seed and the counterexample path on failure; re-run a failure with
 * `fc.assert(..., { seed, path })`.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { platform } from '#platform';
import { isTesseraError } from '../../src/core/errors.ts';
import { signJWS, verifyJWS, verifyJWSSync, type VerifyKey, type VerifyResult } from '../../src/jws/index.ts';
import type { JWK } from '../../src/jwa/types.ts';
import { b64u, forgeHS256, pair, secretBytes } from '../helpers/jws-fixtures.ts';

const RUNS = 400;
const SECRET = secretBytes(32);

interface Case {
  readonly alg: string;
  readonly signKey: Uint8Array | JWK;
  readonly verifyKey: Uint8Array | JWK;
}

const CASES: readonly Case[] = [
  { alg: 'HS256', signKey: SECRET, verifyKey: SECRET },
  { alg: 'ES256', signKey: pair('P-256').privateJWK, verifyKey: pair('P-256').publicJWK },
  { alg: 'EdDSA', signKey: pair('Ed25519').privateJWK, verifyKey: pair('Ed25519').publicJWK },
  { alg: 'RS256', signKey: pair('RSA').privateJWK, verifyKey: pair('RSA').publicJWK },
];

type Outcome = { ok: true; result: VerifyResult } | { ok: false; error: unknown };

/** Verifies through the async API (and the sync one where there is one); both must agree. */
async function outcome(token: string, key: VerifyKey, options: { algorithms?: string[]; crit?: string[] } = {}): Promise<Outcome> {
  let async: Outcome;
  try {
    async = { ok: true, result: await verifyJWS(token, key, options) };
  } catch (error) {
    async = { ok: false, error };
  }
  if (platform.syncSupported) {
    let sync: Outcome;
    try {
      sync = { ok: true, result: verifyJWSSync(token, key, options) };
    } catch (error) {
      sync = { ok: false, error };
    }
    assert.equal(sync.ok, async.ok, 'sync and async verification agree');
    if (!sync.ok && !async.ok) assert.equal((sync.error as { code?: string }).code, (async.error as { code?: string }).code);
  }
  return async;
}

function assertRejectedCleanly(o: Outcome, what: string): void {
  if (o.ok) assert.fail(`a mutated token verified (${what})`);
  if (!isTesseraError(o.error)) throw new Error(`a non-tessera error escaped (${what})`, { cause: o.error });
}

// ---------------------------------------------------------------------------------------------
// Mutations of valid tokens.

const NASTY = ['.', '=', '+', '/', ' ', '\n', '\t', '\u0000', 'é', '\ud800', '"', '{', '-', '_', 'A', 'a', '0'];
const tokenChar = fc.oneof(
  fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('')),
  fc.constantFrom(...NASTY),
);

/** A mutation: a function of (token, other valid tokens) → a new string. */
type Mutation = { name: string; apply: (token: string, others: readonly string[]) => string };

const segs = (t: string) => t.split('.') as [string, string, string];
const decode = (s: string) => Buffer.from(s, 'base64url');

const byteFlip = fc.record({ seg: fc.integer({ min: 0, max: 2 }), pos: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }).map(
  ({ seg, pos, mask }): Mutation => ({
    name: `flip byte ${pos} of segment ${seg} with ${mask}`,
    apply: (t) => {
      const parts = segs(t);
      const bytes = decode(parts[seg] as string);
      if (bytes.length === 0) return t; // filtered out below as a no-op
      bytes[pos % bytes.length] = (bytes[pos % bytes.length] as number) ^ mask;
      parts[seg] = bytes.toString('base64url');
      return parts.join('.');
    },
  }),
);
const byteInsertDelete = fc.record({ seg: fc.integer({ min: 0, max: 2 }), pos: fc.nat(), insert: fc.option(fc.uint8Array({ minLength: 1, maxLength: 3 })) }).map(
  ({ seg, pos, insert }): Mutation => ({
    name: `${insert ? 'insert bytes into' : 'delete a byte of'} segment ${seg} at ${pos}`,
    apply: (t) => {
      const parts = segs(t);
      const bytes = [...decode(parts[seg] as string)];
      const at = bytes.length === 0 ? 0 : pos % bytes.length;
      if (insert) bytes.splice(at, 0, ...insert);
      else bytes.splice(at, 1);
      parts[seg] = Buffer.from(bytes).toString('base64url');
      return parts.join('.');
    },
  }),
);
const charSubstitute = fc.record({ pos: fc.nat(), c: tokenChar }).map(
  ({ pos, c }): Mutation => ({
    name: `substitute ${JSON.stringify(c)} at ${pos}`,
    apply: (t) => {
      const i = pos % t.length;
      return t.slice(0, i) + c + t.slice(i + 1);
    },
  }),
);
const charInsert = fc.record({ pos: fc.nat(), s: fc.array(tokenChar, { minLength: 1, maxLength: 4 }).map((a) => a.join('')) }).map(
  ({ pos, s }): Mutation => ({
    name: `insert ${JSON.stringify(s)} at ${pos}`,
    apply: (t) => {
      const i = pos % (t.length + 1);
      return t.slice(0, i) + s + t.slice(i);
    },
  }),
);
const charDelete = fc.record({ pos: fc.nat(), n: fc.integer({ min: 1, max: 6 }) }).map(
  ({ pos, n }): Mutation => ({
    name: `delete ${n} at ${pos}`,
    apply: (t) => {
      const i = pos % t.length;
      return t.slice(0, i) + t.slice(i + n);
    },
  }),
);
const segmentSwap = fc.record({ perm: fc.constantFrom([1, 0, 2], [0, 2, 1], [2, 1, 0], [1, 2, 0], [2, 0, 1]), splice: fc.option(fc.record({ seg: fc.integer({ min: 0, max: 2 }), from: fc.nat() })) }).map(
  ({ perm, splice }): Mutation => ({
    name: splice ? `splice segment ${splice.seg} from another token` : `permute segments ${perm.join('')}`,
    apply: (t, others) => {
      const parts = segs(t);
      if (splice) {
        const other = segs(others[splice.from % others.length] as string);
        parts[splice.seg] = other[splice.seg] as string;
        return parts.join('.');
      }
      return perm.map((i) => parts[i]).join('.');
    },
  }),
);
const truncate = fc.nat().map((n): Mutation => ({ name: `truncate at ${n}`, apply: (t) => t.slice(0, n % t.length) }));
const junk = fc
  .oneof(
    fc.string({ maxLength: 200 }),
    fc.array(tokenChar, { maxLength: 200 }).map((a) => a.join('')),
    fc.tuple(fc.base64String(), fc.base64String(), fc.base64String()).map((p) => p.join('.')),
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
    fc.string({ unit: 'binary', maxLength: 100 }),
  )
  .map((s): Mutation => ({ name: `junk ${JSON.stringify(s).slice(0, 40)}`, apply: () => s }));

const MUTATIONS: ReadonlyArray<[string, fc.Arbitrary<Mutation>]> = [
  ['byte flips in decoded segments', byteFlip],
  ['byte insertions and deletions in decoded segments', byteInsertDelete],
  ['character substitutions', charSubstitute],
  ['character insertions', charInsert],
  ['character deletions', charDelete],
  ['segment swaps and splices', segmentSwap],
  ['truncations', truncate],
  ['random junk', junk],
];

describe('mutated tokens never verify', () => {
  for (const c of CASES) {
    describe(c.alg, () => {
      // Several valid tokens with distinct payloads and headers, so a splice never rebuilds a valid one.
      const tokens: string[] = [];
      before(async () => {
        const payloads = ['{"sub":"ada","admin":false}', '', 'x', '{"n":12345678901234567890}', 'ünïcödé ✓'];
        for (const [i, payload] of payloads.entries()) {
          tokens.push(await signJWS(payload, c.signKey, { alg: c.alg, protectedHeader: i % 2 ? { kid: `k${i}` } : {} }));
        }
        if (c.alg === 'HS256') tokens.push(await signJWS('unencoded', c.signKey, { alg: c.alg, b64: false }));
        for (const t of tokens) assert.ok((await outcome(t, c.verifyKey)).ok, 'fixture tokens verify');
      });

      for (const [name, mutation] of MUTATIONS) {
        test(name, async () => {
          const valid = new Set(tokens);
          await fc.assert(
            fc.asyncProperty(fc.nat(), mutation, async (which, m) => {
              const original = tokens[which % tokens.length] as string;
              const mutated = m.apply(original, tokens);
              fc.pre(!valid.has(mutated));
              assertRejectedCleanly(await outcome(mutated, c.verifyKey), m.name);
              assertRejectedCleanly(await outcome(mutated, c.verifyKey, { algorithms: [c.alg] }), m.name);
            }),
            { numRuns: RUNS },
          );
        });
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Random headers, validly signed: accepted exactly when the header rules allow.

const REGISTERED = ['alg', 'jku', 'jwk', 'kid', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'typ', 'cty', 'crit', 'enc', 'zip', 'epk', 'apu', 'apv', 'iv', 'tag', 'p2s', 'p2c'];
const STRING_MEMBERS = ['alg', 'kid', 'typ', 'cty', 'jku', 'x5u', 'x5t', 'x5t#S256'];
const UNDERSTOOD = ['urn:ok'];

/** The header rules, written independently of src/jws/header.ts, from RFC 7515 §4.1 and RFC 7797 §3, §6. */
function headerShouldVerify(h: Record<string, unknown>): boolean {
  if (h.alg !== 'HS256') return false;
  for (const m of STRING_MEMBERS) if (m in h && typeof h[m] !== 'string') return false;
  if (typeof h.kid === 'string' && h.kid.length > 1024) return false;
  if ('x5c' in h && !(Array.isArray(h.x5c) && h.x5c.every((x) => typeof x === 'string'))) return false;
  if ('jwk' in h && (typeof h.jwk !== 'object' || h.jwk === null || Array.isArray(h.jwk))) return false;
  if ('b64' in h && typeof h.b64 !== 'boolean') return false;
  if (!('crit' in h)) return !('b64' in h);
  const crit = h.crit;
  if (!Array.isArray(crit) || crit.length === 0) return false;
  if (crit.some((n) => typeof n !== 'string' || n === '' || REGISTERED.includes(n) || !(n in h))) return false;
  if (new Set(crit).size !== crit.length) return false;
  if ('b64' in h && !crit.includes('b64')) return false;
  return crit.every((n) => n === 'b64' || UNDERSTOOD.includes(n));
}

const memberName = fc.oneof(
  fc.constantFrom('alg', 'kid', 'typ', 'cty', 'crit', 'b64', 'jwk', 'jku', 'x5c', 'x5u', 'x5t', 'enc', 'zip', 'urn:ok', 'urn:no'),
  fc.string({ maxLength: 6 }),
);
const memberValue = fc.oneof(
  fc.constantFrom('HS256', 'HS512', 'none', 'b64', 'urn:ok', 'urn:no', 'kid', 'JWT'),
  fc.constantFrom(true, false, null, 0, 1),
  fc.array(fc.constantFrom('b64', 'urn:ok', 'urn:no', 'alg', 'kid', '', 'x'), { maxLength: 3 }),
  fc.jsonValue({ maxDepth: 2 }),
);
const randomHeader = fc
  .record({
    alg: fc.oneof(
      { arbitrary: fc.constant('HS256'), weight: 4 },
      { arbitrary: fc.constantFrom('HS384', 'none', 'NONE', 'RS256', 'ES256', 'EdDSA', '', undefined), weight: 1 },
      { arbitrary: fc.jsonValue({ maxDepth: 1 }), weight: 1 },
    ),
    rest: fc.dictionary(memberName, memberValue, { maxKeys: 3 }),
    // Extension members, and a crit built from them, so that crit rules are met often, not by luck.
    ext: fc.dictionary(fc.constantFrom('urn:ok', 'urn:ok', 'urn:no', 'b64'), fc.oneof(fc.boolean(), fc.constant(1)), { maxKeys: 2 }),
    crit: fc.constantFrom('absent', 'absent', 'extensions', 'extensions', 'with a duplicate', 'with an absent name', 'with a registered name', 'random'),
    randomCrit: memberValue,
  })
  .map(({ alg, rest, ext, crit, randomCrit }) => {
    const h: Record<string, unknown> = {};
    const put = (k: string, v: unknown) => Object.defineProperty(h, k, { value: v, enumerable: true, writable: true, configurable: true });
    if (alg !== undefined) h.alg = alg;
    for (const [k, v] of Object.entries(rest)) if (k !== 'alg' || alg === undefined) put(k, v);
    for (const [k, v] of Object.entries(ext)) put(k, v);
    const names = Object.keys(ext);
    if (crit === 'extensions') put('crit', names);
    else if (crit === 'with a duplicate') put('crit', [...names, ...names.slice(0, 1)]);
    else if (crit === 'with an absent name') put('crit', [...names, 'urn:absent']);
    else if (crit === 'with a registered name') put('crit', [...names, 'kid']);
    else if (crit === 'random') put('crit', randomCrit);
    return h;
  });

/** True when a string anywhere in the value (names included) holds a lone surrogate code unit. */
function hasLoneSurrogate(value: unknown): boolean {
  const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
  if (typeof value === 'string') return LONE.test(value);
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([k, v]) => LONE.test(k) || hasLoneSurrogate(v));
}

describe('random headers', () => {
  test('a validly signed random header verifies exactly when the header rules allow it', async () => {
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(randomHeader, fc.string({ maxLength: 20 }), async (header, payload) => {
        const text = JSON.stringify(header);
        const token = forgeHS256(b64u(text), b64u(payload), SECRET);
        const o = await outcome(token, SECRET, { crit: UNDERSTOOD });
        const expected = headerShouldVerify(header) && !hasLoneSurrogate(header);
        if (o.ok) {
          accepted++;
          assert.ok(expected, `accepted a header the rules refuse: ${text}`);
          assert.equal(o.result.protectedHeader.alg, 'HS256');
        } else {
          refused++;
          if (!isTesseraError(o.error)) throw new Error('a non-tessera error escaped', { cause: o.error });
          assert.ok(!expected, `refused (${(o.error as { code: string }).code}) a valid header: ${text}`);
        }
      }),
      { numRuns: 600 },
    );
    assert.ok(accepted > 20, `the generator reaches accepted headers (${accepted})`);
    assert.ok(refused > 20, `the generator reaches refused headers (${refused})`);
  });

  /** An independent JSON reader that reports duplicate names (after unescaping) at any depth. */
  function referenceParse(text: string): { ok: boolean; duplicate: boolean } {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { ok: false, duplicate: false };
    }
    let i = 0;
    let duplicate = false;
    const ws = () => {
      while (' \t\n\r'.includes(text[i] ?? 'x')) i++;
    };
    const str = (): string => {
      const start = i;
      i++;
      while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      return JSON.parse(text.slice(start, i)) as string;
    };
    const val = (): void => {
      ws();
      const c = text[i];
      if (c === '{') {
        i++;
        const names = new Set<string>();
        ws();
        if (text[i] === '}') {
          i++;
          return;
        }
        for (;;) {
          ws();
          const name = str();
          if (names.has(name)) duplicate = true;
          names.add(name);
          ws();
          i++; // ':'
          val();
          ws();
          if (text[i++] === '}') return;
        }
      } else if (c === '[') {
        i++;
        ws();
        if (text[i] === ']') {
          i++;
          return;
        }
        for (;;) {
          val();
          ws();
          if (text[i++] === ']') return;
        }
      } else if (c === '"') str();
      else while (i < text.length && !',]}'.includes(text[i] as string) && !' \t\n\r'.includes(text[i] as string)) i++;
    };
    val();
    return { ok: typeof value === 'object' && value !== null && !Array.isArray(value), duplicate };
  }

  // Header text from JSON fragments, so that duplicates (plain and escaped), nesting and broken
  // JSON all occur: a differential test of the duplicate-member scanner against referenceParse.
  const fragment = fc.constantFrom(
    '"a":1', '"\\u0061":2', '"b":"x:y"', '"b":"\\"a\\":1"', '"c":{"a":1}', '"c":{"a":1,"a":2}', '"c":{"a":1,"\\u0061":2}',
    '"d":[{"a":1},{"a":2}]', '"d":[{"a":1,"a":1}]', '"e":"\\\\"', '"e\\\\":1', '"f":[1,2,', '"g":', '"h":"\\ud83d\\ude00"', ' "i" : true ',
    '"kid":"k"', '"k\\u0069d":"k"', '"typ":"JWT"',
  );
  test('headers built from JSON fragments: duplicates are refused, the rest accepted (differential)', async () => {
    const seen = { dup: 0, ok: 0, bad: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(fragment, { maxLength: 5 }), fc.boolean(), async (parts, algFirst) => {
        const members = algFirst ? ['"alg":"HS256"', ...parts] : [...parts, '"alg":"HS256"'];
        const text = `{${members.join(',')}}`;
        const token = forgeHS256(b64u(text), b64u('p'), SECRET);
        const o = await outcome(token, SECRET);
        const ref = referenceParse(text);
        if (!ref.ok) {
          seen.bad++;
          assert.ok(!o.ok && isTesseraError(o.error, 'ERR_JSON_INVALID'), `invalid JSON must be ERR_JSON_INVALID: ${text}`);
        } else if (ref.duplicate) {
          seen.dup++;
          assert.ok(!o.ok && isTesseraError(o.error, 'ERR_JSON_DUPLICATE_MEMBER'), `a duplicate must be refused: ${text}`);
        } else {
          seen.ok++;
          assert.ok(o.ok, `a header without duplicates must verify: ${text} (${o.ok ? '' : String((o.error as Error).message)})`);
        }
      }),
      { numRuns: 500 },
    );
    assert.ok(seen.dup > 20 && seen.ok > 20 && seen.bad > 20, `the generator covers every outcome: ${JSON.stringify(seen)}`);
  });

  test('random bytes as a header are refused with a TesseraError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 120 }), async (bytes) => {
        const token = forgeHS256(b64u(bytes), b64u('p'), SECRET);
        const o = await outcome(token, SECRET);
        if (o.ok) {
          // Only if the bytes happen to be a good header; then they must say HS256.
          assert.equal(JSON.parse(Buffer.from(bytes).toString('utf8')).alg, 'HS256');
        } else if (!isTesseraError(o.error)) {
          throw new Error('a non-tessera error escaped', { cause: o.error });
        }
      }),
      { numRuns: RUNS },
    );
  });
});
