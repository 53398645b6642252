#!/usr/bin/env node
// The large JWT fuzz run (`npm run fuzz`), outside the test suite: the same generators, oracle
// and watchdog as test/property/jwt-fuzz.test.ts (test/helpers/jwt-fuzz*.ts), for longer.
//
// Usage: node scripts/fuzz.mjs [--count N] [--seconds S] [--seed S] [--backend node|web]
//                              [--start I] [--trace]
//   --count N      tokens to run (default 2,000,000); --seconds S stops earlier when S is reached
//   --seed S       replay a run (default: random, printed); TESSERA_FUZZ_SEED works too
//   --backend web  the WebCrypto backend (async API) instead of node:crypto (Sync API)
//   --start I      begin at token index I; with --count 1 --trace, replays one token and prints it
// Exits 1 on any finding (a mutated token accepted, an unsound acceptance, a non-tessera error,
// a slow call, a hang).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function parseArgs(argv) {
  const out = { count: 2_000_000, seconds: undefined, seed: process.env.TESSERA_FUZZ_SEED, backend: 'node', start: 0, trace: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const number = (name) => {
      const n = Number(value().replaceAll('_', '').replaceAll(',', ''));
      if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number`);
      return n;
    };
    if (a === '--count') out.count = Math.floor(number('--count'));
    else if (a === '--seconds') out.seconds = number('--seconds');
    else if (a === '--seed') out.seed = value();
    else if (a === '--start') out.start = Math.floor(number('--start'));
    else if (a === '--backend') out.backend = value();
    else if (a === '--trace') out.trace = true;
    else if (a === '--help' || a === '-h') out.help = true;
    else throw new Error(`unknown argument ${a} (try --help)`);
  }
  if (out.backend !== 'node' && out.backend !== 'web') throw new Error('--backend is node or web');
  return out;
}

let args;
try {
  args = parseArgs(process.argv.slice(2));
} catch (err) {
  console.error(err.message);
  process.exit(2);
}
if (args.help) {
  console.log(
    (await import('node:fs')).readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1).filter((l, i, all) => all.slice(0, i + 1).every((x) => x.startsWith('//'))).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'),
  );
  process.exit(0);
}

if (process.env.TESSERA_FUZZ_CHILD !== '1') {
  // The fuzzer is TypeScript over the sources: re-run under tsx with the source export conditions.
  const conditions = ['-C', 'tessera-source', ...(args.backend === 'web' ? ['-C', 'tessera-web'] : [])];
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...conditions, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TESSERA_FUZZ_CHILD: '1' },
  });
  process.exit(r.status ?? 1);
}

const { describeFailure, runFuzz, seedFrom } = await import('../test/helpers/jwt-fuzz.ts');
const { fuzzInWorker } = await import('../test/helpers/jwt-fuzz-harness.ts');
const { makeFixtures } = await import('../test/helpers/jwt-fuzz-fixtures.ts');
const { platform } = await import('#platform');

const seed = seedFrom(args.seed);
const sync = platform.syncSupported;
const config = { seed, count: args.count, start: args.start, sync, slowMs: 2_000, ...(args.seconds !== undefined && { seconds: args.seconds }) };
const fmt = (n) => Math.round(n).toLocaleString('en');
console.log(`tessera JWT fuzz: ${platform.name} backend (${sync ? 'Sync' : 'async'} API), seed ${seed}, tokens ${fmt(args.start)}…${fmt(args.start + args.count - 1)}${args.seconds !== undefined ? `, at most ${args.seconds} s` : ''}`);

let report;
if (args.trace) {
  // A replay, in process, printing every call.
  report = await runFuzz({ ...config, trace: (line) => console.log(line) }, await makeFixtures());
} else {
  const outcome = await fuzzInWorker(config, {
    budgetMs: args.seconds === undefined ? Infinity : args.seconds * 1000 + 60_000,
    hangMs: 30_000,
    onProgress: (() => {
      let last = 0;
      return (done, ms) => {
        if (ms - last < 10_000) return;
        last = ms;
        console.log(`  ${fmt(done)} tokens, ${fmt(done / (ms / 1000))}/s`);
      };
    })(),
  });
  if (outcome.kind !== 'done') {
    const what =
      outcome.kind === 'hang'
        ? `token #${outcome.index} did not return within 30 s: a hang (replay: node scripts/fuzz.mjs --seed ${seed} --start ${outcome.index} --count 1 --trace)`
        : outcome.kind === 'over budget'
          ? `the run exceeded its time budget at token #${outcome.index}`
          : `the fuzz worker crashed: ${outcome.error}`;
    console.error(`FAIL: ${what}`);
    process.exit(1);
  }
  report = outcome.report;
}

console.log(`${fmt(report.tokens)} tokens, ${fmt(report.calls)} calls in ${(report.ms / 1000).toFixed(1)} s (${fmt(report.tokens / (report.ms / 1000))} tokens/s)`);
console.log(`byte-identical to a valid token (not judged): ${fmt(report.identical)}; forged tokens accepted and sound: ${fmt(report.accepted)}, refused: ${fmt(report.refused)}`);
console.log(`slowest call: ${report.slowest.ms.toFixed(1)} ms (token #${report.slowest.index}, ${report.slowest.generator} → ${report.slowest.target})`);
console.log('refusals by code:');
for (const [code, n] of Object.entries(report.codes).sort((a, b) => b[1] - a[1])) console.log(`  ${code.padEnd(30)} ${fmt(n)}`);
console.log('tokens by generator:');
for (const [family, n] of Object.entries(report.families).sort((a, b) => b[1] - a[1])) console.log(`  ${family.padEnd(30)} ${fmt(n)}`);
if (report.failureCount > 0) {
  console.error(`\nFAIL: ${report.failureCount} finding(s)${report.failureCount > report.failures.length ? ` (first ${report.failures.length} shown)` : ''}:`);
  for (const f of report.failures) console.error(describeFailure(f, seed));
  process.exit(1);
}
console.log('\nno findings');
