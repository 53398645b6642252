import { test } from 'node:test';
import assert from 'node:assert/strict';
import { timingSafeEqualBytes, timingSafeEqualText } from '../../../src/core/bytes.ts';

test('timingSafeEqualText: equal only for the same text', () => {
  assert.equal(timingSafeEqualText('', ''), true);
  assert.equal(timingSafeEqualText('abcDEF-_', 'abcDEF-_'), true);
  assert.equal(timingSafeEqualText('abcDEF-_', 'abcDEF-a'), false);
  assert.equal(timingSafeEqualText('xbcDEF-_', 'abcDEF-_'), false);
  assert.equal(timingSafeEqualText('abc', 'abcd'), false);
  assert.equal(timingSafeEqualText('abcd', 'abc'), false);
});

test('timingSafeEqualBytes: equal only for the same bytes', () => {
  assert.equal(timingSafeEqualBytes(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3)), true);
  assert.equal(timingSafeEqualBytes(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4)), false);
  assert.equal(timingSafeEqualBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3)), false);
});
