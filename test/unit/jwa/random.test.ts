// platform.randomBytes: right lengths, fresh copies, and no byte range handed out twice, across
// the node backend's pool refills (4 KiB) and on WebCrypto.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { platform } from '#platform';

test('lengths, including zero and beyond the pooled size', () => {
  for (const n of [0, 1, 12, 16, 32, 64, 255, 256, 257, 4096, 70000]) assert.equal(platform.randomBytes(n).length, n);
});

test('no 16-byte output repeats over several pool refills, and outputs are independent copies', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const bytes = platform.randomBytes(16);
    const hex = Buffer.from(bytes).toString('hex');
    assert.ok(!seen.has(hex), 'a random value was handed out twice');
    seen.add(hex);
    bytes.fill(0);
  }
  const a = platform.randomBytes(32);
  const copy = Uint8Array.from(a);
  platform.randomBytes(32).fill(7);
  assert.deepEqual(a, copy, 'writing into one result must not change another');
});

test('bytes look random: every byte value appears in 64 KiB', () => {
  const values = new Set<number>();
  for (let i = 0; i < 256; i++) for (const b of platform.randomBytes(256)) values.add(b);
  assert.equal(values.size, 256);
});
