// The JWE interop case table against tessera's registry, and docs/interop.md against the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ALL_JWE_CASES, JWE_SHARED, interopCoverage } from './helpers/jwe-cases.ts';

const PEER_COLUMNS: readonly (keyof typeof JWE_SHARED)[] = ['joseNPM', 'jwcrypto', 'joseC'];

test('every JWE alg and enc has an interop case; each alg with a GCM and a CBC-HMAC enc; ECDH-ES over every curve', () => {
  assert.deepEqual(interopCoverage(), { untestedAlgs: [], untestedEncs: [], algsWithoutBothFamilies: [], curvesWithoutECDHES: [] });
});

test('case ids are unique', () => {
  assert.equal(new Set(ALL_JWE_CASES.map((c) => c.id)).size, ALL_JWE_CASES.length);
});

test('every peer shares at least one case per alg it implements, and its cases are table ids in table order', () => {
  const order = ALL_JWE_CASES.map((c) => c.id);
  for (const peer of PEER_COLUMNS) {
    const shared = JWE_SHARED[peer] as readonly string[];
    assert.deepEqual([...shared], order.filter((i) => shared.includes(i)), peer);
  }
});

test('docs/interop.md has one JWE row per case, matching what each peer shares (both directions)', () => {
  const doc = readFileSync(new URL('../../docs/interop.md', import.meta.url), 'utf8');
  // JWE rows are "| `alg` + `enc` (curve) | …": a form the JWS table (cases.test.ts) does not match.
  const rows = new Map<string, string[]>();
  for (const line of doc.split('\n')) {
    const m = /^\| `([^`]+)` \+ `([^`]+)`(?: \(([^)]+)\))? \|(.*)\|$/.exec(line);
    if (m) rows.set(`${m[1]} + ${m[2]}${m[3] ? ` (${m[3]})` : ''}`, (m[4] as string).split('|').map((cell) => cell.trim()));
  }
  assert.deepEqual([...rows.keys()], ALL_JWE_CASES.map((c) => c.id));
  for (const c of ALL_JWE_CASES) {
    const expected = PEER_COLUMNS.flatMap((peer) => {
      const mark = (JWE_SHARED[peer] as readonly string[]).includes(c.id) ? '✓' : '—';
      return [mark, mark];
    });
    assert.deepEqual(rows.get(c.id), expected, `docs/interop.md row ${c.id}`);
  }
});
