import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeBase64URL, decodeBase64URLInternal, decodeBase64URLText, encodeBase64URL } from '../../../src/core/base64url.ts';

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
    assert.throws(() => decodeBase64URLInternal(text), { code: 'ERR_BASE64URL_INVALID' });
    assert.throws(() => decodeBase64URLText(text), { code: 'ERR_BASE64URL_INVALID' });
  });
}

/** What decodeBase64URLText must give: the strict bytes, then strict UTF-8 (undefined if not UTF-8). */
function referenceText(text: string): string | undefined | 'throws' {
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64URL(text);
  } catch (err) {
    assert.equal((err as { code: string }).code, 'ERR_BASE64URL_INVALID');
    return 'throws';
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function textOutcome(text: string): string | undefined | 'throws' {
  try {
    return decodeBase64URLText(text);
  } catch (err) {
    assert.equal((err as { code: string }).code, 'ERR_BASE64URL_INVALID');
    return 'throws';
  }
}

test('decodeBase64URLText: ASCII, multi-byte UTF-8, a BOM, invalid UTF-8 and an empty string', () => {
  assert.equal(decodeBase64URLText(encodeBase64URL('{"sub":"ada"}')), '{"sub":"ada"}');
  assert.equal(decodeBase64URLText(encodeBase64URL('{"name":"Zoë 🐢"}')), '{"name":"Zoë 🐢"}');
  assert.equal(decodeBase64URLText(encodeBase64URL('\ufeff{}')), '\ufeff{}');
  assert.equal(decodeBase64URLText(encodeBase64URL(Uint8Array.of(0x7b, 0xff, 0x7d))), undefined);
  assert.equal(decodeBase64URLText(encodeBase64URL(Uint8Array.of(0xed, 0xa0, 0x80))), undefined); // a UTF-8 surrogate
  assert.equal(decodeBase64URLText(''), '');
});

test('decodeBase64URLText agrees with decodeBase64URL + strict UTF-8 on random and mutated input', () => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/= \n\u00e9.';
  const mutated = fc
    .tuple(fc.uint8Array({ maxLength: 40 }), fc.nat(), fc.constantFrom(...alphabet), fc.boolean())
    .map(([bytes, at, ch, insert]) => {
      const t = encodeBase64URL(bytes);
      const i = t.length === 0 ? 0 : at % t.length;
      return insert ? t.slice(0, i) + ch + t.slice(i) : t.slice(0, i) + ch + t.slice(i + 1);
    });
  const utf8 = fc.string({ unit: 'binary', maxLength: 30 }).map((s) => encodeBase64URL(s));
  fc.assert(
    fc.property(fc.oneof(mutated, utf8, fc.string({ maxLength: 12 })), (text) => {
      assert.deepEqual(textOutcome(text), referenceText(text));
    }),
    { numRuns: 5000 },
  );
});
