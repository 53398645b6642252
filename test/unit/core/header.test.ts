/** The shared protected-header cache (src/core/header.ts): a memo of the last header, then a bounded map. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cachedHeaderParser } from '../../../src/core/header.ts';

function counting() {
  let calls = 0;
  const parse = cachedHeaderParser((encoded: string) => {
    calls++;
    return { text: encoded };
  }, 2);
  return { parse, calls: () => calls };
}

test('the same text gives the same frozen header, parsed once', () => {
  const { parse, calls } = counting();
  const a = parse('abc', 100);
  assert.equal(parse('ab' + 'c', 100), a);
  assert.ok(Object.isFrozen(a));
  assert.equal(calls(), 1);
});

test('alternating texts each get their own header', () => {
  const { parse, calls } = counting();
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(parse('one', 100), { text: 'one' });
    assert.deepEqual(parse('two', 100), { text: 'two' });
  }
  assert.equal(calls(), 2);
});

test('the size limit applies before the memo and the map', () => {
  const { parse } = counting();
  parse('abcdef', 100);
  assert.throws(() => parse('abcdef', 5), { code: 'ERR_HEADER_TOO_LARGE' });
});

test('an evicted header is parsed again when its text returns', () => {
  const { parse, calls } = counting();
  parse('a', 10);
  parse('b', 10);
  parse('c', 10); // evicts 'a' (max 2)
  parse('a', 10);
  assert.equal(calls(), 4);
});
