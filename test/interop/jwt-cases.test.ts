// The JWT interop case table, and docs/interop.md against it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ALL_JWT_CASES, JWT_SHARED, SCENARIOS } from './helpers/jwt-cases.ts';

const PEER_COLUMNS: readonly (keyof typeof JWT_SHARED)[] = ['joseNPM', 'jwcrypto'];

test('JWT case ids and scenario names are unique', () => {
  assert.equal(new Set(ALL_JWT_CASES.map((c) => c.id)).size, ALL_JWT_CASES.length);
  assert.equal(new Set(SCENARIOS.map((s) => s.name)).size, SCENARIOS.length);
});

test('the JWT cases cover issue 4: HS256, RS256, PS256, ES256, EdDSA signed; dir + A256GCM; the two nested pairings', () => {
  const signed = ALL_JWT_CASES.filter((c) => c.kind === 'signed').map((c) => c.sign?.alg);
  assert.deepEqual(signed, ['HS256', 'RS256', 'PS256', 'ES256', 'EdDSA']);
  const encrypted = ALL_JWT_CASES.filter((c) => c.kind === 'encrypted').map((c) => `${c.encrypt?.alg}/${c.encrypt?.enc}`);
  assert.deepEqual(encrypted, ['dir/A256GCM']);
  const nested = ALL_JWT_CASES.filter((c) => c.kind === 'nested').map((c) => `${c.sign?.alg}/${c.encrypt?.alg}/${c.encrypt?.enc}`);
  assert.deepEqual(nested, ['ES256/ECDH-ES+A256KW/A256GCM', 'ES256/RSA-OAEP-256/A256GCM']);
});

test('the scenarios cover an accepted token, at+jwt, an expired token, a wrong aud and a wrong iss', () => {
  assert.deepEqual(
    SCENARIOS.map((s) => [s.name, s.outcome]),
    [
      ['valid', 'accepted'],
      ['at+jwt', 'accepted'],
      ['expired', 'expired'],
      ['wrong-aud', { claim: 'aud' }],
      ['wrong-iss', { claim: 'iss' }],
    ],
  );
});

test('docs/interop.md has one JWT row per case, matching what each peer shares (both directions)', () => {
  const doc = readFileSync(new URL('../../docs/interop.md', import.meta.url), 'utf8');
  // JWT rows start with the kind ("| signed `HS256` |"), a form the JWS and JWE tables do not match.
  const rows = new Map<string, string[]>();
  for (const line of doc.split('\n')) {
    const m = /^\| ((?:signed|encrypted|nested) [^|]+) \|(.*)\|$/.exec(line);
    if (m) rows.set((m[1] as string).replaceAll('`', ''), (m[2] as string).split('|').map((cell) => cell.trim()));
  }
  assert.deepEqual([...rows.keys()], ALL_JWT_CASES.map((c) => c.id));
  for (const c of ALL_JWT_CASES) {
    const expected = PEER_COLUMNS.flatMap((peer) => {
      const mark = (JWT_SHARED[peer] as readonly string[]).includes(c.id) ? '✓' : '—';
      return [mark, mark];
    });
    assert.deepEqual(rows.get(c.id), expected, `docs/interop.md row ${c.id}`);
  }
});
