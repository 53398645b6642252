// The interop case table against tessera's registry, and docs/interop.md against the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ALL_CASES, SHARED, untestedAlgorithms } from './helpers/cases.ts';

const PEER_COLUMNS: readonly (keyof typeof SHARED)[] = ['joseNPM', 'jwcrypto', 'joseC'];

test('every JWS algorithm tessera implements has an interop case', () => {
  assert.deepEqual(untestedAlgorithms(), []);
});

test('docs/interop.md has one row per case, matching what each peer shares (both directions)', () => {
  const doc = readFileSync(new URL('../../docs/interop.md', import.meta.url), 'utf8');
  const rows = new Map<string, string[]>();
  for (const line of doc.split('\n')) {
    const m = /^\| `([^`]+)` \|(.*)\|$/.exec(line);
    if (m) rows.set(m[1] as string, (m[2] as string).split('|').map((cell) => cell.trim()));
  }
  assert.deepEqual([...rows.keys()], ALL_CASES.map((c) => c.id));
  for (const c of ALL_CASES) {
    const expected = PEER_COLUMNS.flatMap((peer) => {
      const mark = (SHARED[peer] as readonly string[]).includes(c.id) ? '✓' : '—';
      return [mark, mark];
    });
    assert.deepEqual(rows.get(c.id), expected, `docs/interop.md row ${c.id}`);
  }
});
