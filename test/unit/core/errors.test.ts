import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as errors from '../../../src/core/errors.ts';

const docs = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
const rows = [...docs.matchAll(/^\| `(ERR_[A-Z0-9_]+)` \| `(\w+)` \|/gm)].map((m) => ({ code: m[1], cls: m[2] }));

test('docs/errors.md lists exactly the ErrorCode union, in order', () => {
  assert.deepEqual(rows.map((r) => r.code), [...errors.ERROR_CODES]);
});

test('every code has its own exported subclass, named as documented', () => {
  const classes = Object.values(errors).filter(
    (v): v is typeof errors.TesseraError & { code: string } => typeof v === 'function' && 'code' in v,
  );
  const byCode = new Map(classes.map((c) => [c.code, c]));
  assert.equal(byCode.size, errors.ERROR_CODES.length, 'one class per code');
  for (const { code, cls } of rows) {
    const C = byCode.get(code);
    assert.ok(C, `no class for ${code}`);
    assert.equal(C.name, cls);
    const e = new (C as unknown as new (m: string) => errors.TesseraError)('m');
    assert.equal(e.code, code);
    assert.equal(e.name, cls);
    assert.ok(e instanceof errors.TesseraError && e instanceof Error);
    assert.ok(errors.isTesseraError(e, code as errors.ErrorCode));
    assert.ok(!errors.isTesseraError(e, 'ERR_INVALID_ARGUMENT' === code ? 'ERR_KEY_EMPTY' : 'ERR_INVALID_ARGUMENT'));
  }
});

test('a non-tessera error is not a tessera error', () => {
  assert.equal(errors.isTesseraError(new Error('x')), false);
  assert.equal(errors.isTesseraError({ code: 'ERR_ALG_NONE' }), false);
});
