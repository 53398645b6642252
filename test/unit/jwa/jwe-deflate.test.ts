/**
 * Raw DEFLATE for `zip: "DEF"` (RFC 7516 §4.1.3) on the backend under test, with node:zlib as the
 * independent reference, and the decompression cap enforced while inflating (THREATS.md §9).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { platform } from '#platform';
import { INPUT_SLICE, pipeCapped } from '../../../src/jwa/platform/_capped-stream.ts';
import { bothForms, errorOf, rejectsBoth, toHex, utf8 } from './jwe-fixtures.ts';

const LIMIT = 'ERR_JWE_DECOMPRESSION_LIMIT';
const CAP = 250_000;
const MEGABYTE_OF_ZEROS = new Uint8Array(deflateRawSync(new Uint8Array(1_000_000)));

const inflate = (sync: boolean, data: Uint8Array, cap: number) => (sync ? platform.inflateRawSync(data, cap) : platform.inflateRaw(data, cap));
const deflate = (sync: boolean, data: Uint8Array) => (sync ? platform.deflateRawSync(data) : platform.deflateRaw(data));

describe('raw DEFLATE round trips, against node:zlib', () => {
  const text = utf8('You can trust us to stick with you through thick and thin–to the bitter end. '.repeat(50));
  const noise = new Uint8Array(randomBytes(70_000));

  for (const [label, data] of [['text', text], ['incompressible', noise], ['empty', new Uint8Array(0)]] as const) {
    test(`${label}: deflated here, inflated by node:zlib and here`, async () => {
      for (const compressed of await bothForms((sync) => deflate(sync, data))) {
        assert.equal(toHex(inflateRawSync(compressed)), toHex(data));
        for (const out of await bothForms((sync) => inflate(sync, compressed, CAP))) assert.equal(toHex(out), toHex(data));
      }
    });
  }

  test('node:zlib output inflates here (a plain Uint8Array comes back)', async () => {
    for (const out of await bothForms((sync) => inflate(sync, new Uint8Array(deflateRawSync(text)), CAP))) {
      assert.equal(Object.getPrototypeOf(out), Uint8Array.prototype);
      assert.equal(toHex(out), toHex(text));
    }
  });
});

describe('the decompression cap', () => {
  test(`1 MB of zeros (${MEGABYTE_OF_ZEROS.length} bytes compressed) with a cap of ${CAP}: ERR_JWE_DECOMPRESSION_LIMIT`, async () => {
    await rejectsBoth((sync) => inflate(sync, MEGABYTE_OF_ZEROS, CAP), LIMIT);
  });

  test('an output exactly at the cap passes; one byte over fails', async () => {
    const data = new Uint8Array(deflateRawSync(new Uint8Array(CAP).fill(7)));
    for (const out of await bothForms((sync) => inflate(sync, data, CAP))) assert.equal(out.length, CAP);
    await rejectsBoth((sync) => inflate(sync, data, CAP - 1), LIMIT);
  });

  test(`the cap is enforced while inflating: ${platform.name === 'node' ? "node:zlib's own maxOutputLength stops it" : 'the stream is cancelled early'}`, async () => {
    if (platform.name === 'node') {
      // ERR_BUFFER_TOO_LARGE is what zlib throws from inside its inflate loop, chunk by chunk,
      // once maxOutputLength is passed: the cap is not a length check after the fact.
      for (const sync of [false, true]) {
        const err = await errorOf(() => inflate(sync, MEGABYTE_OF_ZEROS, CAP));
        assert.equal(err.code, LIMIT);
        assert.equal((err.cause as { code?: string } | undefined)?.code, 'ERR_BUFFER_TOO_LARGE');
      }
    } else {
      assert.throws(() => platform.inflateRawSync(MEGABYTE_OF_ZEROS, CAP), { code: 'ERR_SYNC_UNSUPPORTED' });
    }
  });

  test('the web path (DecompressionStream) stops inflating soon after the cap', async () => {
    // 32 MB of zeros, about 32 kB compressed. Count what the decompressor gives out, and compare
    // the time to the cap with the time to inflate it all: the capped run must stop early, not
    // inflate everything and then look at the length.
    const bomb = new Uint8Array(deflateRawSync(new Uint8Array(32 << 20), { level: 9 }));
    const counted = () => {
      const stat = { produced: 0 };
      const output = new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          stat.produced += chunk.length;
          controller.enqueue(chunk);
        },
      });
      const ds = new DecompressionStream('deflate-raw') as ReadableWritablePair<Uint8Array, Uint8Array>;
      return { stat, pair: { writable: ds.writable, readable: ds.readable.pipeThrough(output) } };
    };
    const capped = counted();
    let start = performance.now();
    await assert.rejects(pipeCapped(capped.pair, bomb, CAP), { code: LIMIT });
    const cappedMs = performance.now() - start;
    const full = counted();
    start = performance.now();
    assert.equal((await pipeCapped(full.pair, bomb)).length, 32 << 20);
    const fullMs = performance.now() - start;
    console.log(`capped: ${capped.stat.produced} bytes out in ${cappedMs.toFixed(1)} ms; uncapped: ${full.stat.produced} bytes in ${fullMs.toFixed(1)} ms (${INPUT_SLICE}-byte input slices)`);
    assert.ok(capped.stat.produced < 2 * CAP, `inflated ${capped.stat.produced} bytes`);
    assert.ok(cappedMs < fullMs / 4, `capped ${cappedMs} ms, full ${fullMs} ms`);
  });

  test('a cap above 1 MiB (node:crypto backend: zlib on the thread pool) is enforced the same way', async () => {
    const cap = 2 << 20;
    const under = new Uint8Array(deflateRawSync(new Uint8Array(cap).fill(1)));
    const over = new Uint8Array(deflateRawSync(new Uint8Array(cap + 1)));
    for (const out of await bothForms((sync) => inflate(sync, under, cap))) assert.equal(out.length, cap);
    await rejectsBoth((sync) => inflate(sync, over, cap), LIMIT);
    const big = new Uint8Array(randomBytes((1 << 20) + 1));
    for (const compressed of await bothForms((sync) => deflate(sync, big))) assert.equal(toHex(inflateRawSync(compressed)), toHex(big));
  });

  for (const cap of [0, -1, 1.5, Number.NaN]) {
    test(`a cap of ${cap}: ERR_INVALID_ARGUMENT`, async () => {
      await rejectsBoth((sync) => inflate(sync, MEGABYTE_OF_ZEROS, cap), 'ERR_INVALID_ARGUMENT');
    });
  }
});

describe('malformed DEFLATE data: ERR_JWE_INVALID', () => {
  const valid = new Uint8Array(deflateRawSync(utf8('hello, world')));
  for (const [label, data] of [
    ['a reserved block type', new Uint8Array([0x07, 0x00, 0x00])],
    ['a truncated stream', valid.subarray(0, valid.length - 3)],
    ['no data at all', new Uint8Array(0)],
  ] as const) {
    test(label, async () => {
      await rejectsBoth((sync) => inflate(sync, data, CAP), 'ERR_JWE_INVALID');
    });
  }
});
