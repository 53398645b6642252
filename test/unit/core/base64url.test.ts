import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBase64URL, encodeBase64URL } from '../../../src/core/base64url.ts';

test('round-trips every length', () => {
  for (let n = 0; n < 40; n++) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
    assert.deepEqual(decodeBase64URL(encodeBase64URL(bytes)), bytes);
  }
});

for (const [name, text] of [
  ['padding', 'YQ=='],
  ['plus', 'a+b_'],
  ['slash', 'a/b_'],
  ['whitespace', 'YW Jj'],
  ['newline', 'YWJj\n'],
  ['impossible length', 'YWJjZ'],
  ['non-canonical last char (len%4==2)', 'YR'],
  ['non-canonical last char (len%4==3)', 'YWJ'],
  ['non-ASCII', 'YWJj\u00e9'],
] as const) {
  test(`rejects ${name}`, () => {
    assert.throws(() => decodeBase64URL(text), { code: 'ERR_BASE64URL_INVALID' });
  });
}
