/**
 * Property tests: a mutated valid JWE never decrypts, and decryption never fails with anything but
 * a TesseraError (THREATS.md §11, §13, §15, §26). Compact tokens are mutated as strings and as
 * decoded parts; flattened JSON JWEs have their member values (nested ones included) replaced,
 * edited or removed. Sync and async decryption must agree on every input.
 *
 * fast-check prints the seed and the counterexample path on failure; re-run a failure with
 * `fc.assert(..., { seed, path })`.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { platform } from '#platform';
import { isTesseraError } from '../../src/core/errors.ts';
import type { JWK } from '../../src/jwa/types.ts';
import {
  decryptFlattenedJWE,
  decryptFlattenedJWESync,
  decryptJWE,
  decryptJWESync,
  encryptFlattenedJWE,
  encryptJWE,
  type DecryptOptions,
  type DecryptResult,
} from '../../src/jwe/index.ts';
import { pair, secretBytes } from '../helpers/jws-fixtures.ts';

const RUNS = 300;

interface Case {
  readonly alg: string;
  readonly enc: string;
  readonly encryptKey: Uint8Array | JWK;
  readonly decryptKey: Uint8Array | JWK;
}

const CASES: readonly Case[] = [
  { alg: 'dir', enc: 'A256GCM', encryptKey: secretBytes(32, 21), decryptKey: secretBytes(32, 21) },
  { alg: 'A256KW', enc: 'A256CBC-HS512', encryptKey: secretBytes(32, 22), decryptKey: secretBytes(32, 22) },
  { alg: 'ECDH-ES+A128KW', enc: 'A128GCM', encryptKey: pair('P-256').publicJWK, decryptKey: pair('P-256').privateJWK },
  { alg: 'RSA-OAEP-256', enc: 'A256GCM', encryptKey: pair('RSA').publicJWK, decryptKey: pair('RSA').privateJWK },
];

type Outcome = { ok: true; result: DecryptResult } | { ok: false; error: unknown };

/** Runs the async and (where there is one) the sync decrypt; both must agree. */
async function outcome(run: () => Promise<DecryptResult>, runSync: () => DecryptResult): Promise<Outcome> {
  let async: Outcome;
  try {
    async = { ok: true, result: await run() };
  } catch (error) {
    async = { ok: false, error };
  }
  if (platform.syncSupported) {
    let sync: Outcome;
    try {
      sync = { ok: true, result: runSync() };
    } catch (error) {
      sync = { ok: false, error };
    }
    assert.equal(sync.ok, async.ok, 'sync and async decryption agree');
    if (!sync.ok && !async.ok) assert.equal((sync.error as { code?: string }).code, (async.error as { code?: string }).code, 'sync and async fail alike');
  }
  return async;
}

const compactOutcome = (token: string, c: Case, options: DecryptOptions) =>
  outcome(
    () => decryptJWE(token, c.decryptKey, options),
    () => decryptJWESync(token, c.decryptKey, options),
  );

const flattenedOutcome = (jwe: unknown, c: Case, options: DecryptOptions) =>
  outcome(
    () => decryptFlattenedJWE(jwe, c.decryptKey, options),
    () => decryptFlattenedJWESync(jwe, c.decryptKey, options),
  );

function assertRejectedCleanly(o: Outcome, what: string): void {
  if (o.ok) assert.fail(`a mutated JWE decrypted (${what})`);
  if (!isTesseraError(o.error)) throw new Error(`a non-tessera error escaped (${what})`, { cause: o.error });
}

// ---------------------------------------------------------------------------------------------
// Compact: mutations of the token string and of its decoded parts.

const NASTY = ['.', '=', '+', '/', ' ', '\n', '\t', '\u0000', 'é', '\ud800', '"', '{', '-', '_', 'A', 'a', '0'];
const tokenChar = fc.oneof(
  fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('')),
  fc.constantFrom(...NASTY),
);

/** A mutation: a function of (token, other valid tokens) → a new string. */
type Mutation = { name: string; apply: (token: string, others: readonly string[]) => string };

const PARTS = 5;
const split = (t: string) => t.split('.');
const decode = (s: string) => Buffer.from(s, 'base64url');

const byteFlip = fc.record({ part: fc.integer({ min: 0, max: PARTS - 1 }), pos: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }).map(
  ({ part, pos, mask }): Mutation => ({
    name: `flip byte ${pos} of part ${part} with ${mask}`,
    apply: (t) => {
      const p = split(t);
      const bytes = decode(p[part] as string);
      if (bytes.length === 0) return t; // a no-op, filtered out
      bytes[pos % bytes.length] = (bytes[pos % bytes.length] as number) ^ mask;
      p[part] = bytes.toString('base64url');
      return p.join('.');
    },
  }),
);
const byteInsertDelete = fc
  .record({ part: fc.integer({ min: 0, max: PARTS - 1 }), pos: fc.nat(), insert: fc.option(fc.uint8Array({ minLength: 1, maxLength: 17 })) })
  .map(
    ({ part, pos, insert }): Mutation => ({
      name: `${insert ? `insert ${insert.length} bytes into` : 'delete a byte of'} part ${part} at ${pos}`,
      apply: (t) => {
        const p = split(t);
        const bytes = [...decode(p[part] as string)];
        const at = bytes.length === 0 ? 0 : pos % (bytes.length + 1);
        if (insert) bytes.splice(at, 0, ...insert);
        else bytes.splice(Math.min(at, bytes.length - 1), 1);
        p[part] = Buffer.from(bytes).toString('base64url');
        return p.join('.');
      },
    }),
  );
const partReplace = fc.record({ part: fc.integer({ min: 0, max: PARTS - 1 }), bytes: fc.uint8Array({ maxLength: 48 }) }).map(
  ({ part, bytes }): Mutation => ({
    name: `replace part ${part} with ${bytes.length} random bytes`,
    apply: (t) => {
      const p = split(t);
      p[part] = Buffer.from(bytes).toString('base64url');
      return p.join('.');
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
const charInsertDelete = fc.record({ pos: fc.nat(), s: fc.option(fc.array(tokenChar, { minLength: 1, maxLength: 4 }).map((a) => a.join(''))), n: fc.integer({ min: 1, max: 6 }) }).map(
  ({ pos, s, n }): Mutation => ({
    name: s === null ? `delete ${n} at ${pos}` : `insert ${JSON.stringify(s)} at ${pos}`,
    apply: (t) => {
      if (s === null) {
        const i = pos % t.length;
        return t.slice(0, i) + t.slice(i + n);
      }
      const i = pos % (t.length + 1);
      return t.slice(0, i) + s + t.slice(i);
    },
  }),
);
const partSwap = fc
  .record({
    perm: fc.constantFrom([0, 1, 2, 4, 3], [0, 1, 3, 2, 4], [0, 2, 1, 3, 4], [1, 0, 2, 3, 4], [0, 1, 4, 3, 2], [4, 3, 2, 1, 0]),
    splice: fc.option(fc.record({ part: fc.integer({ min: 0, max: PARTS - 1 }), from: fc.nat() })),
  })
  .map(
    ({ perm, splice }): Mutation => ({
      name: splice ? `splice part ${splice.part} from another token` : `permute parts ${perm.join('')}`,
      apply: (t, others) => {
        const p = split(t);
        if (splice) {
          p[splice.part] = split(others[splice.from % others.length] as string)[splice.part] as string;
          return p.join('.');
        }
        return perm.map((i) => p[i]).join('.');
      },
    }),
  );
const truncate = fc.nat().map((n): Mutation => ({ name: `truncate at ${n}`, apply: (t) => t.slice(0, n % t.length) }));
const junk = fc
  .oneof(
    fc.string({ maxLength: 200 }),
    fc.array(tokenChar, { maxLength: 200 }).map((a) => a.join('')),
    fc.array(fc.base64String({ maxLength: 40 }), { minLength: 5, maxLength: 5 }).map((p) => p.join('.')),
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
  )
  .map((s): Mutation => ({ name: `junk ${JSON.stringify(s).slice(0, 40)}`, apply: () => s }));

const MUTATIONS: ReadonlyArray<[string, fc.Arbitrary<Mutation>]> = [
  ['byte flips in decoded parts', byteFlip],
  ['byte insertions and deletions in decoded parts', byteInsertDelete],
  ['parts replaced by random bytes', partReplace],
  ['character substitutions', charSubstitute],
  ['character insertions and deletions', charInsertDelete],
  ['part swaps and splices', partSwap],
  ['truncations and junk', fc.oneof(truncate, junk)],
];

describe('mutated compact JWEs never decrypt', () => {
  for (const c of CASES) {
    describe(`${c.alg} + ${c.enc}`, () => {
      const options: DecryptOptions = { algorithms: [c.alg] };
      // Several valid tokens with distinct plaintexts and headers, so a splice never rebuilds a valid one.
      const tokens: string[] = [];
      before(async () => {
        const plaintexts = ['{"sub":"ada","admin":false}', '', 'x', 'ünïcödé ✓', 'a longer plaintext that spans several AES blocks, to be sure'];
        for (const [i, p] of plaintexts.entries()) {
          tokens.push(await encryptJWE(p, c.encryptKey, { alg: c.alg, enc: c.enc, ...(i % 2 ? { protectedHeader: { kid: `k${i}` } } : {}) }));
        }
        tokens.push(await encryptJWE('zipped '.repeat(20), c.encryptKey, { alg: c.alg, enc: c.enc, zip: 'DEF' }));
        for (const t of tokens) assert.ok((await compactOutcome(t, c, options)).ok, 'fixture tokens decrypt');
      });

      for (const [name, mutation] of MUTATIONS) {
        test(name, async () => {
          const valid = new Set(tokens);
          await fc.assert(
            fc.asyncProperty(fc.nat(), mutation, async (which, m) => {
              const original = tokens[which % tokens.length] as string;
              const mutated = m.apply(original, tokens);
              fc.pre(!valid.has(mutated));
              assertRejectedCleanly(await compactOutcome(mutated, c, options), m.name);
              // With the allow-list derived from the key as well (no options).
              if (c.alg !== 'RSA-OAEP-256') assertRejectedCleanly(await compactOutcome(mutated, c, {}), m.name);
            }),
            { numRuns: RUNS },
          );
        });
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Flattened JSON: mutations of member values, at any depth.

type JSONValue = null | boolean | number | string | JSONValue[] | { [k: string]: JSONValue };
type Path = ReadonlyArray<string | number>;

/** Every path to a member or array element below the root, depth first. */
function paths(value: JSONValue, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const out: Path[] = [];
  const entries: Array<[string | number, JSONValue]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [k, v] of entries) {
    out.push([...prefix, k]);
    out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

function getAt(root: JSONValue, path: Path): JSONValue {
  let cur: JSONValue = root;
  for (const k of path) cur = (cur as Record<string | number, JSONValue>)[k] as JSONValue;
  return cur;
}

/** A deep copy with the value at `path` replaced (or removed when `value` is undefined). */
function setAt(root: JSONValue, path: Path, value: JSONValue | undefined): JSONValue {
  const copy = structuredClone(root);
  const parent = getAt(copy, path.slice(0, -1)) as Record<string | number, JSONValue> | JSONValue[];
  const key = path[path.length - 1] as string | number;
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete (parent as Record<string, JSONValue>)[key as string];
  } else {
    (parent as Record<string | number, JSONValue>)[key] = value;
  }
  return copy;
}

type Edit = { name: string; apply: (old: JSONValue) => JSONValue | undefined };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.constant<Edit>({ name: 'remove', apply: () => undefined }),
  fc.jsonValue({ maxDepth: 2 }).map((v): Edit => ({ name: `replace with ${JSON.stringify(v).slice(0, 30)}`, apply: () => v as JSONValue })),
  fc.record({ pos: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }).map(
    ({ pos, mask }): Edit => ({
      name: `flip decoded byte ${pos} with ${mask}`,
      apply: (old) => {
        if (typeof old !== 'string') return old;
        const b = Buffer.from(old, 'base64url');
        if (b.length === 0) return 'AA';
        b[pos % b.length] = (b[pos % b.length] as number) ^ mask;
        return b.toString('base64url');
      },
    }),
  ),
  fc.record({ pos: fc.nat(), c: tokenChar }).map(
    ({ pos, c }): Edit => ({
      name: `substitute ${JSON.stringify(c)}`,
      apply: (old) => (typeof old === 'string' && old.length > 0 ? old.slice(0, pos % old.length) + c + old.slice((pos % old.length) + 1) : c),
    }),
  ),
  fc.nat().map((n): Edit => ({ name: `truncate at ${n}`, apply: (old) => (typeof old === 'string' ? old.slice(0, n % Math.max(1, old.length)) : old) })),
  fc.constantFrom<Edit>(
    { name: 'wrap in an array', apply: (old) => [old] },
    { name: 'stringify', apply: (old) => JSON.stringify(old) },
    { name: 'empty string', apply: () => '' },
    { name: 'empty object', apply: () => ({}) },
  ),
);

describe('mutated flattened JWEs never decrypt', () => {
  for (const c of CASES) {
    test(`${c.alg} + ${c.enc}: member values replaced, edited or removed`, async () => {
      const options: DecryptOptions = { algorithms: [c.alg] };
      // One with AAD and the key-management parameters in the recipient header (the JSON default),
      // one with them protected.
      const fixtures: JSONValue[] = [
        (await encryptFlattenedJWE('{"sub":"ada"}', c.encryptKey, { alg: c.alg, enc: c.enc, aad: 'context' })) as unknown as JSONValue,
        (await encryptFlattenedJWE('x', c.encryptKey, { alg: c.alg, enc: c.enc, keyManagementParameters: 'protected' })) as unknown as JSONValue,
      ];
      const texts = new Set(fixtures.map((f) => JSON.stringify(f)));
      for (const f of fixtures) assert.ok((await flattenedOutcome(f, c, options)).ok, 'fixtures decrypt');
      await fc.assert(
        fc.asyncProperty(fc.nat(), fc.nat(), edit, async (which, at, e) => {
          const original = fixtures[which % fixtures.length] as JSONValue;
          const all = paths(original);
          const path = all[at % all.length] as Path;
          const old = getAt(original, path);
          const next = e.apply(old);
          fc.pre(next === undefined || JSON.stringify(next) !== JSON.stringify(old));
          const mutated = setAt(original, path, next);
          fc.pre(!texts.has(JSON.stringify(mutated)));
          const what = `${path.join('.')}: ${e.name}`;
          assertRejectedCleanly(await flattenedOutcome(mutated, c, options), what);
          // The same object given as JSON text.
          assertRejectedCleanly(await flattenedOutcome(JSON.stringify(mutated), c, options), `${what} (as text)`);
        }),
        { numRuns: RUNS },
      );
    });
  }
});
