/**
 * Running bytes through a WebCrypto-era stream transform (CompressionStream, DecompressionStream)
 * with a hard cap on the output, for the web backend's raw DEFLATE.
 *
 * SECURITY (THREATS.md §9): the input goes in small slices, and each slice is written only after
 * the reader has taken what the previous one produced, so a decompression bomb is never inflated
 * much past the cap: at most one slice's worth (DEFLATE expands at most ~1032:1, so 256 bytes of
 * input give at most ~264 kB of output) before the reader sees the total and cancels.
 */
import { JWEDecompressionLimitError } from '../../core/errors.js';

/** Input slice length: bounds the output of one transform step (see above). */
export const INPUT_SLICE = 256;

export interface ByteTransform {
  readonly writable: WritableStream<Uint8Array>;
  readonly readable: ReadableStream<Uint8Array>;
}

/**
 * Writes `input` through `transform` and collects the output, failing as soon as it exceeds
 * `maxOutputLength` bytes (undefined: no cap).
 * @throws ERR_JWE_DECOMPRESSION_LIMIT over the cap; the transform's own error for bad input
 */
export async function pipeCapped(transform: ByteTransform, input: Uint8Array, maxOutputLength?: number): Promise<Uint8Array> {
  const writer = transform.writable.getWriter();
  const reader = transform.readable.getReader();
  let stopped = false;
  const feeding = (async () => {
    for (let offset = 0; offset < input.length && !stopped; offset += INPUT_SLICE) {
      // `ready` waits while the transform is busy and its output unread: the next slice goes in
      // only when the reader has caught up. (The write's own promise adds nothing to that.)
      await writer.ready;
      if (stopped) return;
      writer.write(input.subarray(offset, offset + INPUT_SLICE)).catch(() => undefined);
    }
    if (!stopped) await writer.close();
  })();
  // The reader reports the transform's errors; the writer's copy of them is not needed.
  feeding.catch(() => undefined);

  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (maxOutputLength !== undefined && total > maxOutputLength) {
        stopped = true;
        throw new JWEDecompressionLimitError(`the decompressed plaintext exceeds ${maxOutputLength} bytes`);
      }
      chunks.push(value);
    }
  } catch (err) {
    stopped = true;
    // Stop the transform: no more input is consumed, nothing more is produced.
    await reader.cancel().catch(() => undefined);
    await writer.abort().catch(() => undefined);
    throw err;
  }
  await feeding;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
