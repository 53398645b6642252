import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeBase64URL, decodeBase64URLInternal, decodeBase64URLText, decodeBase64URLTransient, encodeBase64URL } from '../../../src/core/base64url.ts';

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

// --- The decoder against an independent oracle ---------------------------------------------------
// Up to 4096 characters tessera decodes in JavaScript (core/base64url.ts, JS_DECODE_MAX: Node's
// native decoder slows the signature primitive that follows it); past that, with Node's decoder.
// The oracle is neither: strict means the alphabet only, a possible length, and re-encoding the
// bytes gives the text back (canonical end). Node's decoder gives the bytes.

const STRICT_ALPHABET = /^[A-Za-z0-9_-]*$/;
function oracle(text: string): Uint8Array | 'throws' {
  if (!STRICT_ALPHABET.test(text) || text.length % 4 === 1) return 'throws';
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) return 'throws';
  return new Uint8Array(bytes);
}

function outcome(decode: (t: string) => Uint8Array, text: string): Uint8Array | 'throws' {
  try {
    return new Uint8Array(decode(text));
  } catch (err) {
    assert.equal((err as { code: string }).code, 'ERR_BASE64URL_INVALID');
    return 'throws';
  }
}

/** Valid base64url of `bytes`, then one character replaced or inserted (or none). */
function mutatedText(maxLength: number, minLength = 0) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/= \n\t.\u00e9\u0141\u0142\uff41\ud83d\u0100';
  return fc
    .tuple(fc.uint8Array({ minLength, maxLength }), fc.nat(), fc.constantFrom(...alphabet), fc.constantFrom('replace', 'insert', 'none'))
    .map(([bytes, at, ch, how]) => {
      const t = encodeBase64URL(bytes);
      const i = t.length === 0 ? 0 : at % t.length;
      if (how === 'none') return t;
      return how === 'insert' ? t.slice(0, i) + ch + t.slice(i) : t.slice(0, i) + ch + t.slice(i + 1);
    });
}

test('decodeBase64URL agrees with the oracle on short random and mutated input (the JavaScript decoder)', () => {
  fc.assert(
    fc.property(fc.oneof(mutatedText(64), fc.string({ maxLength: 16 })), (text) => {
      assert.deepEqual(outcome(decodeBase64URL, text), oracle(text));
      assert.deepEqual(outcome(decodeBase64URLInternal, text), oracle(text));
      assert.deepEqual(outcome(decodeBase64URLTransient, text), oracle(text));
    }),
    { numRuns: 10000 },
  );
});

test('decodeBase64URL agrees with the oracle around and past 4096 characters (both decoders)', () => {
  fc.assert(
    fc.property(
      mutatedText(3090, 3060),
      (text) => {
        assert.deepEqual(outcome(decodeBase64URL, text), oracle(text));
        assert.deepEqual(outcome(decodeBase64URLTransient, text), oracle(text));
      },
    ),
    { numRuns: 300 },
  );
});

test('a character outside Latin-1 whose low byte is in the alphabet is refused (no truncation to a byte)', () => {
  // U+0141 and U+0142 end in 0x41 'A' and 0x42 'B'; U+FF41 in 0x41.
  for (const ch of ['\u0141', '\u0142', '\uff41', '\u0100']) {
    for (const base of ['YWJj', 'YWJjZA', 'A'.repeat(5000)]) {
      const text = base.slice(0, -1) + ch;
      assert.throws(() => decodeBase64URL(text), { code: 'ERR_BASE64URL_INVALID' }, `${JSON.stringify(ch)} in ${base.length} chars`);
      assert.throws(() => decodeBase64URLText(text), { code: 'ERR_BASE64URL_INVALID' });
    }
  }
});

test('decodeBase64URLText finds a non-ASCII byte in every position of a group (then decodes strict UTF-8)', () => {
  for (let len = 1; len <= 7; len++) {
    for (let at = 0; at < len; at++) {
      const ascii = Uint8Array.from({ length: len }, () => 0x61);
      const lone = ascii.slice();
      lone[at] = 0xe9; // Latin-1 é: not UTF-8 on its own
      assert.equal(decodeBase64URLText(encodeBase64URL(lone)), undefined, `0xe9 at ${at} of ${len}`);
      const two = new Uint8Array([...ascii.slice(0, at), 0xc3, 0xa9, ...ascii.slice(at)]); // UTF-8 é
      assert.equal(decodeBase64URLText(encodeBase64URL(two)), `${'a'.repeat(at)}é${'a'.repeat(len - at)}`);
    }
  }
  const big = 'é'.repeat(4000);
  assert.equal(decodeBase64URLText(encodeBase64URL(big)), big);
});

test('decodeBase64URLTransient: valid until the next call only (shared bytes), and sized per call', () => {
  const a = decodeBase64URLTransient(encodeBase64URL(Uint8Array.of(1, 2, 3, 4, 5)));
  assert.deepEqual([...a], [1, 2, 3, 4, 5]);
  const b = decodeBase64URLTransient(encodeBase64URL(Uint8Array.of(9, 8)));
  assert.deepEqual([...b], [9, 8]);
  assert.equal(a.buffer, b.buffer); // the documented contract: one shared buffer
  assert.equal(a[0], 9); // so the first result now reads the second call's bytes
});
