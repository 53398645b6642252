import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isJSONObject, parseJSONObject, parseJSONObjectText } from '../../../src/core/json.ts';

const bytes = (...parts: Array<string | number[]>) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'utf8')] : p)));

describe('accepts', () => {
  for (const [name, text, expected] of [
    ['a simple object', '{"alg":"HS256","kid":"k"}', { alg: 'HS256', kid: 'k' }],
    ['an empty object', '{}', {}],
    ['whitespace around members', ' {\n\t"a" : 1 ,\r\n "b":[ 1 , 2 ] } ', { a: 1, b: [1, 2] }],
    ['colons, quotes and backslashes inside strings', '{"a":"b:c","d\\"e:":"f\\\\","g\\\\":":"}', { a: 'b:c', 'd"e:': 'f\\', 'g\\': ':' }],
    ['the same name in sibling objects', '{"a":[{"b":1},{"b":2}],"c":{"b":3}}', { a: [{ b: 1 }, { b: 2 }], c: { b: 3 } }],
    ['a nested object', '{"cnf":{"jwk":{"kty":"EC","crv":"P-256"}}}', { cnf: { jwk: { kty: 'EC', crv: 'P-256' } } }],
    ['escaped names that differ', '{"\\u0061":1,"b":2}', { a: 1, b: 2 }],
    ['an escaped surrogate pair', '{"e":"\\ud83d\\ude00"}', { e: '😀' }],
    ['an escaped backslash before u', '{"e":"\\\\ud800"}', { e: '\\ud800' }],
    ['a raw astral character', '{"e":"😀"}', { e: '😀' }],
    ['"__proto__" as an ordinary member', '{"__proto__":1}', JSON.parse('{"__proto__":1}')],
    ['moderate nesting', `{"a":${'['.repeat(16)}1${']'.repeat(16)}}`, { a: JSON.parse(`${'['.repeat(16)}1${']'.repeat(16)}`) }],
  ] as const) {
    test(name, () => {
      assert.deepEqual(parseJSONObjectText(text), expected);
      assert.deepEqual(parseJSONObject(bytes(text)), expected);
    });
  }

  test('the parsed value is a plain object that did not touch the prototype', () => {
    const v = parseJSONObjectText('{"__proto__":{"polluted":true}}');
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
  });
});

describe('rejects duplicate member names (RFC 7515 §4, RFC 7519 §4)', () => {
  for (const [name, text] of [
    ['plain', '{"a":1,"a":2}'],
    ['same value', '{"alg":"HS256","alg":"HS256"}'],
    ['escaped "a" vs "\\u0061"', '{"a":1,"\\u0061":2}'],
    ['escaped both ways', '{"\\u0061lg":"none","al\\u0067":"HS256"}'],
    ['escaped solidus', '{"a/b":1,"a\\/b":2}'],
    ['uppercase hex escape', '{"\\u00E9":1,"é":2}'],
    ['escaped surrogate pair vs raw', '{"\\ud83d\\ude00":1,"😀":2}'],
    ['inside a nested object', '{"cnf":{"kid":"a","kid":"b"}}'],
    ['inside an object in an array', '{"x":[1,{"y":1,"y":2}]}'],
    ['deep inside', '{"a":{"b":{"c":{"d":1,"\\u0064":2}}}}'],
    ['"__proto__" twice', '{"__proto__":1,"__proto__":2}'],
    ['three times', '{"a":1,"b":0,"a":2,"a":3}'],
  ] as const) {
    test(name, () => {
      assert.throws(() => parseJSONObjectText(text), { code: 'ERR_JSON_DUPLICATE_MEMBER' });
      assert.throws(() => parseJSONObject(bytes(text)), { code: 'ERR_JSON_DUPLICATE_MEMBER' });
    });
  }
});

describe('rejects what is not one JSON object', () => {
  for (const [name, text] of [
    ['an array', '[]'],
    ['an array of an object', '[{"a":1}]'],
    ['a string', '"x"'],
    ['a number', '1'],
    ['null', 'null'],
    ['true', 'true'],
    ['empty text', ''],
    ['whitespace only', ' '],
    ['trailing garbage', '{"a":1}x'],
    ['two objects', '{}{}'],
    ['a trailing comma', '{"a":1,}'],
    ['single quotes', "{'a':1}"],
    ['an unquoted name', '{a:1}'],
    ['NaN', '{"a":NaN}'],
    ['a comment', '{"a":1/*c*/}'],
    ['a raw control character in a string', '{"a":"\u0001"}'],
    ['a leading BOM', '\ufeff{}'],
    ['a bad escape', '{"a":"\\x41"}'],
    ['a short \\u escape', '{"a":"\\u12"}'],
  ] as const) {
    test(name, () => {
      assert.throws(() => parseJSONObjectText(text), { code: 'ERR_JSON_INVALID' });
      assert.throws(() => parseJSONObject(bytes(text)), { code: 'ERR_JSON_INVALID' });
    });
  }

  test('deep nesting is refused, however deep, without a stack overflow escaping', () => {
    for (const depth of [64, 10_000, 100_000]) {
      const text = `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      assert.throws(() => parseJSONObjectText(text), { code: 'ERR_JSON_INVALID' });
    }
    let obj = '1';
    for (let i = 0; i < 64; i++) obj = `{"a":${obj}}`;
    assert.throws(() => parseJSONObjectText(obj), { code: 'ERR_JSON_INVALID' });
  });
});

describe('rejects lone surrogates (THREATS.md §17)', () => {
  for (const [name, text] of [
    ['an escaped high surrogate', '{"a":"\\ud800"}'],
    ['an escaped low surrogate', '{"a":"\\udc00"}'],
    ['an escaped high surrogate at the end', '{"a":"x\\udbff"}'],
    ['a high surrogate followed by a non-surrogate escape', '{"a":"\\ud83d\\u0041"}'],
    ['a high surrogate followed by a raw character', '{"a":"\\ud83dx"}'],
    ['two high surrogates', '{"a":"\\ud83d\\ud83d"}'],
    ['a reversed pair', '{"a":"\\ude00\\ud83d"}'],
    ['in a member name', '{"\\ud800":1}'],
  ] as const) {
    test(name, () => {
      assert.throws(() => parseJSONObjectText(text), { code: 'ERR_JSON_INVALID' });
      assert.throws(() => parseJSONObject(bytes(text)), { code: 'ERR_JSON_INVALID' });
    });
  }

  // A JS string can hold a raw lone surrogate, which UTF-8 bytes never can.
  for (const [name, text] of [
    ['a raw high surrogate', '{"a":"\ud800"}'],
    ['a raw low surrogate', '{"a":"\udc00"}'],
    ['a raw high surrogate at the end of a string', '{"a":"x\udbff"}'],
    ['a raw reversed pair', '{"a":"\ude00\ud83d"}'],
    ['a raw lone surrogate in a name', '{"\ud800":1}'],
  ] as const) {
    test(`${name} (text input)`, () => {
      assert.throws(() => parseJSONObjectText(text), { code: 'ERR_JSON_INVALID' });
    });
  }
});

describe('rejects invalid UTF-8', () => {
  for (const [name, raw] of [
    ['a lone continuation byte', bytes('{"a":"', [0x80], '"}')],
    ['0xff', bytes('{"a":"', [0xff], '"}')],
    ['an overlong "/"', bytes('{"a":"', [0xc0, 0xaf], '"}')],
    ['an overlong quote (hiding a string end)', bytes('{"a":"', [0xc0, 0xa2], '}')],
    ['a truncated sequence', bytes('{"a":"', [0xe2, 0x82], '"}')],
    ['an encoded surrogate (CESU-8)', bytes('{"a":"', [0xed, 0xa0, 0x80], '"}')],
    ['a code point above U+10FFFF', bytes('{"a":"', [0xf4, 0x90, 0x80, 0x80], '"}')],
    ['invalid bytes in a name', bytes('{"', [0xfe], '":1}')],
  ] as const) {
    test(name, () => {
      assert.throws(() => parseJSONObject(raw), { code: 'ERR_JSON_INVALID' });
    });
  }

  test('valid multi-byte UTF-8 is accepted', () => {
    assert.deepEqual(parseJSONObject(bytes('{"a":"', [0xc3, 0xa9, 0xe2, 0x9c, 0x93, 0xf0, 0x9f, 0x98, 0x80], '"}')), { a: 'é✓😀' });
  });
});

test('isJSONObject', () => {
  assert.equal(isJSONObject({}), true);
  assert.equal(isJSONObject([]), false);
  assert.equal(isJSONObject(null), false);
  assert.equal(isJSONObject('x'), false);
});

// The fast path (text without backslashes) counts ':' natively and subtracts those inside strings;
// these cases put ':' in keys and values, on both paths (a backslash forces the scanning path).
describe('":" inside keys and string values', () => {
  const ok = [
    '{"jku":"http://127.0.0.1:8080/x","alg":"HS256"}',
    '{"a:b":1,"c":"::"}',
    '{"a":["h:1","c:","::"],"b":{"c:d":"e:f"}}',
    '{"a":"x:y","b":"\\u0041:"}',
  ];
  const dup = [
    '{"a":"x:y","a":1}',
    '{"a:b":1,"a:b":2}',
    '{"u":"http://h:1","v":{"k:":1,"k:":2}}',
    '{"a":["h:1"],"a":"\\u0041:"}',
  ];
  for (const text of ok) test(`accepts ${text}`, () => assert.ok(parseJSONObjectText(text)));
  for (const text of dup) {
    test(`refuses ${text}`, () => assert.throws(() => parseJSONObjectText(text), { code: 'ERR_JSON_DUPLICATE_MEMBER' }));
  }
  test('a raw lone surrogate is refused on the fast path too', () => {
    assert.throws(() => parseJSONObjectText('{"a":"\ud800"}'), { code: 'ERR_JSON_INVALID' });
  });
});
