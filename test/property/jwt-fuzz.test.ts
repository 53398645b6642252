/**
 * Fuzz: at least 100,000 random and mutated tokens (10,000 on the WebCrypto backend, which is
 * async only and slower) through verifyJWT, decryptJWT and decryptAndVerifyJWT: no crash, no
 * hang, only TesseraErrors, and no mutated token ever accepted (THREATS.md §11, §26). The mix and
 * the oracle are described in test/helpers/jwt-fuzz-inputs.ts and test/helpers/jwt-fuzz.ts.
 *
 * The run happens in a worker under a watchdog (test/helpers/jwt-fuzz-harness.ts): one token
 * that does not return within HANG_MS, or a run beyond BUDGET_MS, fails the test with the seed
 * and the token index, instead of hanging the suite.
 *
 * The seed is printed; replay a run with TESSERA_FUZZ_SEED=<seed>, one token with
 * `node scripts/fuzz.mjs --seed <seed> --start <index> --count 1 --trace`. A larger run:
 * `npm run fuzz` (scripts/fuzz.mjs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { platform } from '#platform';
import { fuzzInWorker, type WorkerOutcome } from '../helpers/jwt-fuzz-harness.ts';
import { describeFailure, seedFrom, type FuzzReport } from '../helpers/jwt-fuzz.ts';
import { GENERATOR_FAMILIES } from '../helpers/jwt-fuzz-inputs.ts';

const SYNC = platform.syncSupported;
const COUNT = SYNC ? 100_000 : 10_000;
const SEED = seedFrom(process.env.TESSERA_FUZZ_SEED);
/** The whole run (worker start and fixtures included), and one token. */
const BUDGET_MS = 60_000;
const HANG_MS = 10_000;
/** One verify or decrypt call slower than this is a finding (RSA and PBES2 take a few ms at most). */
const SLOW_MS = 2_000;

function done(outcome: WorkerOutcome): FuzzReport {
  if (outcome.kind === 'done') return outcome.report;
  if (outcome.kind === 'hang') assert.fail(`token #${outcome.index} did not return within ${HANG_MS} ms (seed ${SEED}): a hang`);
  if (outcome.kind === 'over budget') assert.fail(`the run exceeded ${BUDGET_MS} ms at token #${outcome.index} after ${outcome.done} tokens (seed ${SEED})`);
  assert.fail(`the fuzz worker crashed: ${outcome.error}`);
}

/** Codes only reached when the input got past parsing into the deep checks: the mix must reach them all. */
const DEEP_CODES = [
  'ERR_BASE64URL_INVALID',
  'ERR_JSON_INVALID',
  'ERR_JSON_DUPLICATE_MEMBER',
  'ERR_HEADER_INVALID',
  'ERR_CRIT_INVALID',
  'ERR_ALG_NONE',
  'ERR_ALG_NOT_ALLOWED',
  'ERR_JWS_SIGNATURE_INVALID',
  'ERR_JWE_INVALID',
  'ERR_JWE_DECRYPTION_FAILED',
  'ERR_JWE_EPK_INVALID',
  'ERR_JWE_DECOMPRESSION_LIMIT',
  'ERR_PBES2_COUNT',
  'ERR_TOKEN_TOO_LARGE',
  'ERR_JWT_INVALID',
  'ERR_JWT_CLAIM_INVALID',
  'ERR_JWT_EXPIRED',
  'ERR_JWS_EXPECTED',
  'ERR_JWE_EXPECTED',
];

test(`fuzz: ${COUNT.toLocaleString('en')} random and mutated tokens through verify, decrypt and nested (${platform.name} backend)`, async (t) => {
  t.diagnostic(`seed ${SEED} (replay: TESSERA_FUZZ_SEED=${SEED})`);
  const report = done(await fuzzInWorker({ seed: SEED, count: COUNT, sync: SYNC, slowMs: SLOW_MS }, { budgetMs: BUDGET_MS, hangMs: HANG_MS }));
  t.diagnostic(`${report.tokens} tokens, ${report.calls} calls in ${(report.ms / 1000).toFixed(1)} s; forged accepted ${report.accepted}, refused ${report.refused}; slowest call ${report.slowest.ms.toFixed(1)} ms (${report.slowest.generator} → ${report.slowest.target})`);
  assert.equal(report.failureCount, 0, `${report.failureCount} finding(s), seed ${SEED}:\n${report.failures.map((f) => describeFailure(f, SEED)).join('\n')}`);
  assert.equal(report.tokens, COUNT);
  // The mix: every generator family ran, and the inputs reached the deep checks.
  for (const family of GENERATOR_FAMILIES) assert.ok((report.families[family] ?? 0) >= COUNT / 200, `generator "${family}" ran ${report.families[family] ?? 0} times`);
  const missing = DEEP_CODES.filter((code) => (report.codes[code] ?? 0) === 0);
  assert.deepEqual(missing, [], `codes the fuzzer never reached (seen: ${JSON.stringify(report.codes)})`);
  // Forged tokens: some acceptable ones were accepted (and judged sound), some refused.
  assert.ok(report.accepted > COUNT / 500 && report.refused > COUNT / 500, `forged: ${report.accepted} accepted, ${report.refused} refused`);
});

// The harness itself: each way it can catch a broken verifier must catch one.
const small = { seed: 1, count: 300, sync: SYNC, slowMs: SLOW_MS };

test('self-test: a verifier that accepts everything is caught (mutated tokens accepted)', async () => {
  const report = done(await fuzzInWorker({ ...small, sabotage: 'accept' }, { budgetMs: BUDGET_MS, hangMs: HANG_MS }));
  assert.ok(report.failureCount > 100, `${report.failureCount} findings`);
  assert.ok(report.failures.some((f) => f.problem === 'accepted a token that must be refused'));
});

test('self-test: a verifier that throws a TypeError is caught (a non-tessera error)', async () => {
  const report = done(await fuzzInWorker({ ...small, sabotage: 'throw' }, { budgetMs: BUDGET_MS, hangMs: HANG_MS }));
  assert.ok(report.failures.length > 0 && report.failures.every((f) => f.problem.startsWith('a non-tessera error escaped: TypeError')));
});

test('self-test: a verifier that never returns is caught by the watchdog (a hang, with its index)', async () => {
  const outcome = await fuzzInWorker({ ...small, sabotage: 'hang' }, { budgetMs: BUDGET_MS, hangMs: 1_000 });
  assert.equal(outcome.kind, 'hang');
  assert.equal(outcome.kind === 'hang' && outcome.index, 5);
});

test('self-test: the slow-call bound is enforced', async () => {
  const report = done(await fuzzInWorker({ ...small, count: 50, slowMs: 0 }, { budgetMs: BUDGET_MS, hangMs: HANG_MS }));
  assert.ok(report.failures.some((f) => f.problem.startsWith('one call took')));
});
