/**
 * The JWT fuzzer's runner: pushes generated tokens through tessera's verify, decrypt and nested
 * paths and judges every outcome.
 *
 * A finding is any of:
 * - a token accepted that must be refused: a mutation of a valid token (one that is not
 *   byte-identical to a token valid for that target), or forged content no verifier may accept;
 * - a forged token accepted whose claims or header break the rules, as restated here
 *   independently of src/jwt (iss, aud, exp, nbf, iat, sub, jti, alg, replicated claims);
 * - a thrown value that is not a TesseraError (a TypeError, a RangeError from deep recursion…);
 * - one call slower than `slowMs` (a hang in the making: a PBES2 count or a decompression that
 *   escaped its cap).
 * A true hang is caught outside, by the worker watchdog in jwt-fuzz-harness.ts.
 */
import { isTesseraError } from '../../src/core/errors.ts';
import { AUD, ISS, MAX_NUMERIC_DATE, fixtureClaims, type Accepted, type Fixtures, type Target } from './jwt-fuzz-fixtures.ts';
import { generate } from './jwt-fuzz-inputs.ts';

export interface FuzzConfig {
  readonly seed: number;
  /** Tokens to generate (each goes to one to three targets). */
  readonly count: number;
  /** The first token index (to replay one token: `start: i, count: 1`). */
  readonly start?: number;
  /** Stop after this many seconds even if `count` is not reached. */
  readonly seconds?: number;
  /** Use the Sync API (node:crypto backend), else the async one. */
  readonly sync: boolean;
  /** A single call slower than this is a finding. */
  readonly slowMs: number;
  /** Failures kept in the report (all are counted). Default 20. */
  readonly maxFailures?: number;
  /** Test-only: break every target, to prove the oracle and the watchdog catch it. */
  readonly sabotage?: 'accept' | 'throw' | 'hang';
  /** Shared progress: [0] the index being run, [1] tokens done. */
  readonly progress?: Int32Array;
  /** Called with each case when replaying (verbose). */
  readonly trace?: (line: string) => void;
}

export interface FuzzFailure {
  readonly index: number;
  readonly generator: string;
  readonly target: string;
  readonly problem: string;
  /** The token (truncated), so a failure can be replayed even where fixture bytes differ. */
  readonly token: string;
}

export interface FuzzReport {
  readonly seed: number;
  readonly start: number;
  readonly tokens: number;
  readonly calls: number;
  readonly ms: number;
  /** Calls whose token was byte-identical to a token valid for that target (not judged). */
  readonly identical: number;
  /** Forged tokens accepted (and found sound), and refused. */
  readonly accepted: number;
  readonly refused: number;
  /** Tokens per generator family, and refusals per error code. */
  readonly families: Readonly<Record<string, number>>;
  readonly codes: Readonly<Record<string, number>>;
  readonly slowest: { readonly ms: number; readonly index: number; readonly generator: string; readonly target: string };
  readonly failureCount: number;
  readonly failures: readonly FuzzFailure[];
}

const isDate = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= MAX_NUMERIC_DATE;

/**
 * Why an accepted result breaks the rules the targets ask for (RFC 7519 §4.1, §5.3, §7.2; the
 * options iss, aud, exp required), or undefined when it does not. Written without src/jwt.
 */
export function unsound(a: Accepted, target: Target, now: number): string | undefined {
  const p = a.payload as Record<string, unknown>;
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return 'the claims are not an object';
  const proto = Object.getPrototypeOf(p) as unknown;
  if (proto !== Object.prototype && proto !== null) return 'the claims object has a foreign prototype';
  if (p.iss !== ISS) return 'iss is not the accepted issuer';
  const aud = p.aud;
  if (!(aud === AUD || (Array.isArray(aud) && aud.every((x) => typeof x === 'string') && aud.includes(AUD)))) return 'aud does not name the audience';
  if (!isDate(p.exp) || p.exp <= now) return 'exp is not a future NumericDate';
  if (p.nbf !== undefined && (!isDate(p.nbf) || p.nbf > now)) return 'nbf is invalid or in the future';
  if (p.iat !== undefined && (!isDate(p.iat) || p.iat > now)) return 'iat is invalid or in the future';
  for (const m of ['sub', 'jti']) if (p[m] !== undefined && typeof p[m] !== 'string') return `${m} is not a string`;
  if (target.signAlg !== undefined && a.header.alg !== target.signAlg) return `the verified alg is ${String(a.header.alg)}`;
  for (const m of ['iss', 'sub', 'aud']) {
    const h = a.jweHeader?.[m];
    if (h !== undefined && JSON.stringify(h) !== JSON.stringify(p[m])) return `the replicated ${m} differs from the claim`;
  }
  return undefined;
}

/** Every target broken the requested way (test-only; see FuzzConfig.sabotage). */
function sabotaged(fx: Fixtures, how: NonNullable<FuzzConfig['sabotage']>, hangAt: number, current: () => number): Fixtures {
  const fake: Accepted = { payload: fixtureClaims(0), header: { alg: 'HS256' } };
  const broken = new Map<Target, Target>();
  for (const t of fx.targets) {
    const run = (): Accepted => {
      if (how === 'accept') return fake;
      if (how === 'throw') throw new TypeError('sabotaged target');
      if (current() >= hangAt) for (;;);
      return fake;
    };
    broken.set(t, { ...t, run, runAsync: async () => run() });
  }
  return {
    ...fx,
    targets: fx.targets.map((t) => broken.get(t) as Target),
    tokens: fx.tokens.map((x) => ({ ...x, target: broken.get(x.target) as Target })),
  };
}

const shorten = (token: string): string => (token.length <= 600 ? token : `${token.slice(0, 600)}… (${token.length} chars)`);

/** Runs the fuzzer over tokens [start, start + count) and reports. */
export async function runFuzz(config: FuzzConfig, fixtures: Fixtures): Promise<FuzzReport> {
  const start = config.start ?? 0;
  const end = start + config.count;
  const maxFailures = config.maxFailures ?? 20;
  let index = start;
  const fx = config.sabotage ? sabotaged(fixtures, config.sabotage, start + 5, () => index) : fixtures;
  const families: Record<string, number> = {};
  const codes: Record<string, number> = {};
  const failures: FuzzFailure[] = [];
  let failureCount = 0;
  let calls = 0;
  let identical = 0;
  let accepted = 0;
  let refused = 0;
  let slowest = { ms: 0, index: -1, generator: '', target: '' };
  const began = performance.now();
  const deadline = config.seconds === undefined ? Infinity : began + config.seconds * 1000;
  const now = Math.floor(Date.now() / 1000);
  const fail = (f: FuzzFailure) => {
    failureCount++;
    if (failures.length < maxFailures) failures.push(f);
  };

  for (; index < end; index++) {
    if (config.progress) Atomics.store(config.progress, 0, index);
    const c = generate(fx, config.seed, index);
    families[c.family] = (families[c.family] ?? 0) + 1;
    config.trace?.(`#${index} ${c.generator} (must ${c.oracle === 'refuse' ? 'be refused' : 'be refused or sound'}): ${shorten(c.token)}`);
    for (const t of c.targets) {
      const pinned = c.rng.chance(0.6);
      calls++;
      let result: Accepted | undefined;
      let error: unknown;
      const t0 = performance.now();
      try {
        result = config.sync ? t.run(c.token, pinned) : await t.runAsync(c.token, pinned);
      } catch (err) {
        error = err;
      }
      const ms = performance.now() - t0;
      const at = { index, generator: c.generator, target: t.name, token: shorten(c.token) };
      config.trace?.(`  → ${t.name} (${pinned ? 'allow-lists given' : 'allow-lists derived'}): ${result ? 'accepted' : String((error as { code?: string })?.code ?? error)}`);
      if (ms > slowest.ms) slowest = { ms, index, generator: c.generator, target: t.name };
      if (ms > config.slowMs) fail({ ...at, problem: `one call took ${ms.toFixed(0)} ms` });
      if (fx.validFor.get(c.token) === t.name) {
        identical++;
        continue;
      }
      if (result === undefined) {
        if (!isTesseraError(error)) {
          const e = error as Error | undefined;
          fail({ ...at, problem: `a non-tessera error escaped: ${e?.name}: ${e?.message}\n${e?.stack?.split('\n').slice(1, 6).join('\n')}` });
        } else {
          codes[error.code] = (codes[error.code] ?? 0) + 1;
          if (c.oracle === 'either') refused++;
        }
        continue;
      }
      if (c.oracle === 'refuse') {
        fail({ ...at, problem: 'accepted a token that must be refused' });
        continue;
      }
      const why = unsound(result, t, now);
      if (why !== undefined) fail({ ...at, problem: `accepted, but ${why}` });
      else accepted++;
    }
    if (config.progress) Atomics.store(config.progress, 1, index - start + 1);
    if ((index & 255) === 0 && performance.now() > deadline) {
      index++;
      break;
    }
  }
  return {
    seed: config.seed,
    start,
    tokens: index - start,
    calls,
    ms: performance.now() - began,
    identical,
    accepted,
    refused,
    families,
    codes,
    slowest,
    failureCount,
    failures,
  };
}

/** A seed from `TESSERA_FUZZ_SEED` (decimal or 0x-hex), or a fresh random one. */
export function seedFrom(text: string | undefined): number {
  if (text === undefined || text === '') return (Math.random() * 0x1_0000_0000) >>> 0;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 0xffff_ffff) throw new Error(`TESSERA_FUZZ_SEED must be an integer from 0 to 2^32-1, not ${text}`);
  return n;
}

/** A failure as text, with what it takes to replay it. */
export function describeFailure(f: FuzzFailure, seed: number): string {
  return `token #${f.index} (${f.generator}) → ${f.target}: ${f.problem}\n  token: ${f.token}\n  replay: node scripts/fuzz.mjs --seed ${seed} --start ${f.index} --count 1 --trace`;
}
