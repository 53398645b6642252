// Timing: every contender of a case runs in the same process, interleaved round-robin in slices of
// fixed time, so drift (thermal, other load, JIT tiering) hits all of them alike. The figure kept
// is the median over rounds; ratios are medians of per-round ratios, which cancels slow rounds.
import { performance } from 'node:perf_hooks';

const gc = typeof globalThis.gc === 'function' ? globalThis.gc : undefined;

/**
 * Empties the young generation before a slice, so a contender does not pay for the previous
 * contender's short-lived garbage (nearly all of what an operation allocates).
 *
 * A minor collection, not a full one: a forced full collection before every slice invalidates
 * optimized code that embeds objects it collects (V8's "weak objects" deoptimizations: about 15
 * per slice for a JWE encrypt, counted with --trace-deopt), and each slice then paid for
 * recompiling on V8's worker threads, which the CPU clock counts: 20–35% on the async contenders
 * and 5–10% on the sync ones, with ±10–20% spreads. A server does not run a full collection
 * between requests. Full collections still happen when the heap needs them, in whichever slice;
 * the median over rounds absorbs them.
 */
function collectYoung() {
  if (gc !== undefined) gc({ type: 'minor' });
}

/**
 * Lets the work a collection leaves behind run before the next slice: finalizers of native
 * objects (key handles, cipher contexts) run as tasks after the GC that found them dead, so
 * without this a contender would pay for the previous contender's garbage.
 */
function drain() {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/**
 * A contender: `fn` is one operation. `mode` is 'sync' (fn returns a value), 'async' (awaited one
 * at a time) or 'inflight' (`width` operations kept in flight at once).
 * @typedef {{ name: string, fn: () => unknown, mode: 'sync'|'async'|'inflight', width?: number,
 *   ref?: string, target?: { ratio: number, ref: string, label: string } }} Contender
 */

// Each slice returns how many operations ran, the wall time and the process CPU time (all threads).
async function sliceSync(fn, batch, ms) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  let t;
  do {
    for (let i = 0; i < batch; i++) fn();
    n += batch;
    t = performance.now();
  } while (t - t0 < ms);
  return done(n, t0, t, c0);
}

async function sliceAsync(fn, batch, ms) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  let t;
  do {
    for (let i = 0; i < batch; i++) await fn();
    n += batch;
    t = performance.now();
  } while (t - t0 < ms);
  return done(n, t0, t, c0);
}

/** Keeps `width` operations in flight: each worker starts the next as soon as its last one ends. */
async function sliceInflight(fn, width, ms) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + ms;
  let n = 0;
  const worker = async () => {
    while (performance.now() < end) {
      await fn();
      n++;
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return done(n, t0, performance.now(), c0);
}

function done(ops, t0, t1, c0) {
  const c = process.cpuUsage(c0);
  return { ops, wallMs: t1 - t0, cpuMs: (c.user + c.system) / 1000 };
}

function slice(c, ms) {
  if (c.mode === 'sync') return sliceSync(c.fn, c.batch, ms);
  if (c.mode === 'async') return sliceAsync(c.fn, c.batch, ms);
  return sliceInflight(c.fn, c.width ?? 8, ms);
}

/** Runs a contender for `ms` unmeasured (JIT warm-up) and sizes its batch to about 0.5 ms. */
async function warm(c, ms) {
  const t0 = performance.now();
  let n = 0;
  if (c.mode === 'inflight') {
    await sliceInflight(c.fn, c.width ?? 8, ms);
    return;
  }
  while (performance.now() - t0 < ms || n < 3) {
    if (c.mode === 'sync') c.fn();
    else await c.fn();
    n++;
  }
  const perOp = (performance.now() - t0) / n;
  c.batch = Math.max(1, Math.min(4096, Math.round(0.5 / perOp)));
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Measures every contender of a case. With `clock: 'cpu'`, ops/s counts process CPU time instead
 * of wall time (immune to other processes taking the cores); a case with contenders in flight is
 * always timed by the wall clock, since using several cores at once is what it measures.
 * @returns per contender: median ops/s, the per-round samples, the relative spread (IQR/median)
 *   and the median CPU share (CPU time / wall time; about 1 for an undisturbed single thread).
 */
export async function measureCase(contenders, { rounds, sliceMs, warmupMs, clock }) {
  const useCpu = clock === 'cpu' && !contenders.some((c) => c.mode === 'inflight');
  for (const c of contenders) await warm(c, warmupMs);
  const samples = contenders.map(() => []);
  const shares = contenders.map(() => []);
  for (let r = 0; r < rounds; r++) {
    // Rotate the starting contender each round so no one always runs right after the same neighbour.
    for (let j = 0; j < contenders.length; j++) {
      const i = (j + r) % contenders.length;
      collectYoung();
      await drain();
      const { ops, wallMs, cpuMs } = await slice(contenders[i], sliceMs);
      samples[i].push((ops * 1000) / (useCpu ? cpuMs : wallMs));
      shares[i].push(cpuMs / wallMs);
    }
  }
  return contenders.map((c, i) => {
    const s = samples[i];
    const sorted = [...s].sort((a, b) => a - b);
    const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    const med = median(s);
    return { name: c.name, opsPerSec: med, samples: s, spread: (q(0.75) - q(0.25)) / med, cpuShare: median(shares[i]), clock: useCpu ? 'cpu' : 'wall' };
  });
}

/** Median over rounds of samples[a][r] / samples[b][r]. */
export function ratio(a, b) {
  return median(a.samples.map((v, r) => v / b.samples[r]));
}
