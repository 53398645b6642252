// The benchmark itself (started by scripts/bench.mjs, which builds dist first).
// Usage: node --expose-gc bench/run.mjs [--quick] [--filter HS256[,ES256]] [--json out.json]
//          [--clock wall|cpu] [--docs|--no-docs] [--rounds N] [--slice MS]
import { availableParallelism, cpus, loadavg, release, type } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { ALGORITHMS, PAYLOAD } from './fixtures.mjs';
import { JWE_CASES } from './jwe-fixtures.mjs';
import { JWT_ROUNDS, jwtCases } from './jwt-cases.mjs';
import {
  checkContenders,
  inflightSignContenders,
  inflightVerifyContenders,
  jweDecryptContenders,
  jweEncryptContenders,
  jweSetup,
  jwkContenders,
  setup,
  signContenders,
  verifyContenders,
} from './contenders.mjs';
import { measureCase, median } from './harness.mjs';
import { markdownPage, rowsOf, targetSummary, textTable } from './report.mjs';

const root = new URL('..', import.meta.url);
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

const quick = flag('--quick');
const filters = (value('--filter') ?? '').split(',').map((f) => f.trim().toLowerCase()).filter(Boolean);
const jsonOut = value('--json');
const fromSource = process.env.TESSERA_BENCH_FROM === 'source';
const settings = {
  rounds: Number(value('--rounds') ?? (quick ? 4 : 20)),
  sliceMs: Number(value('--slice') ?? (quick ? 30 : 50)),
  warmupMs: quick ? 40 : 150,
  width: 8,
  clock: value('--clock') ?? 'wall',
};
if (settings.clock !== 'wall' && settings.clock !== 'cpu') throw new Error('--clock is wall or cpu');
const writeDocs = flag('--docs') || (!flag('--no-docs') && !quick && filters.length === 0);

const t = await import(fromSource ? '../src/index.ts' : 'tessera');
if (t.backend !== 'node') throw new Error(`tessera loaded the ${t.backend} backend; the benchmark needs node:crypto`);
const jose = await import('jose');
const fastJwt = require('fast-jwt');
const jsonwebtoken = require('jsonwebtoken');
const libs = { t, jose, fastJwt, jsonwebtoken };

const version = (name) => JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, root), 'utf8')).version;
const facts = {
  date: new Date().toISOString().slice(0, 10),
  cpu: `${cpus()[0]?.model ?? 'unknown'}`,
  nproc: availableParallelism(),
  node: process.version,
  v8: process.versions.v8,
  openssl: process.versions.openssl,
  uvThreads: process.env.UV_THREADPOOL_SIZE ?? '4 (default)',
  os: `${type()} ${release()}`,
  tessera: fromSource ? 'src/ via tsx (dist did not load)' : 'dist/esm (as published), `node` export condition',
  payloadBytes: PAYLOAD.length,
  loadBefore: loadavg()[0].toFixed(2),
  versions: { jose: version('jose'), 'fast-jwt': version('fast-jwt'), jsonwebtoken: version('jsonwebtoken') },
};

/** Every case, in print order. Builders run lazily so a filtered run makes only the keys it needs. */
const cases = [];
for (const alg of Object.keys(ALGORITHMS)) {
  cases.push({ name: `${alg} sign`, alg, build: (s) => signContenders(s, libs) });
  cases.push({ name: `${alg} verify`, alg, build: (s) => verifyContenders(s, libs) });
}
for (const alg of ['HS256', 'RS256', 'ES256']) {
  cases.push({ name: `${alg} verify, JWK each call`, alg, build: (s) => jwkContenders(s, libs) });
}
cases.push({ name: `RS256 sign, ${settings.width} in flight`, alg: 'RS256', build: (s) => inflightSignContenders(s, libs, settings.width) });
cases.push({ name: `ES256 verify, ${settings.width} in flight`, alg: 'ES256', build: (s) => inflightVerifyContenders(s, libs, settings.width) });
// Encrypted tokens (RFC 7516): `setup` makes the keys of a JWE case once for its two cases.
for (const name of Object.keys(JWE_CASES)) {
  const jwe = { alg: `JWE ${name}`, setup: () => jweSetup(name, libs) };
  cases.push({ ...jwe, name: `JWE ${name} encrypt`, build: (s) => jweEncryptContenders(s, libs) });
  cases.push({ ...jwe, name: `JWE ${name} decrypt`, build: (s) => jweDecryptContenders(s, libs) });
}
// JWTs (RFC 7519): bench/jwt-cases.mjs. Fewer rounds (unless --rounds or --quick), so a full run stays near 5 minutes.
cases.push(...jwtCases(libs, flag('--rounds') || quick ? settings.rounds : JWT_ROUNDS));

const selected = cases.filter((c) => filters.length === 0 || filters.some((f) => c.name.toLowerCase().includes(f)));
if (selected.length === 0) {
  console.error(`no case matches --filter ${filters.join(',')}; cases: ${cases.map((c) => c.name).join('; ')}`);
  process.exit(2);
}

console.log(
  `tessera bench: ${selected.length} cases, ${settings.rounds} rounds × ${settings.sliceMs} ms per contender` +
    ` (${settings.clock} clock) | ${facts.cpu}, nproc ${facts.nproc}, node ${facts.node}, load ${facts.loadBefore}` +
    ` | tessera from ${fromSource ? 'src (tsx)' : 'dist'}`,
);
const shares = [];
const started = performance.now();
const setups = new Map();
const rows = [];
for (const c of selected) {
  if (!setups.has(c.alg)) setups.set(c.alg, await (c.setup ? c.setup() : setup(c.alg, libs)));
  const contenders = c.build(setups.get(c.alg));
  await checkContenders(c.name, contenders);
  const t0 = performance.now();
  const results = await measureCase(contenders, c.rounds ? { ...settings, rounds: c.rounds } : settings);
  results.forEach((r, i) => contenders[i].mode === 'sync' && shares.push(r.cpuShare));
  const caseRows = rowsOf(c.name, contenders, results);
  rows.push(...caseRows);
  const best = caseRows.filter((r) => !contenders.find((x) => x.name === r.contender).raw);
  process.stdout.write(
    `  ${c.name.padEnd(32)} ${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s` +
      `  (tessera best ${Math.max(...best.filter((r) => r.contender.startsWith('tessera')).map((r) => r.xRaw)).toFixed(2)}× raw)\n`,
  );
}
const seconds = (performance.now() - started) / 1000;
// Other processes on the machine: a single-thread sync loop that got the core to itself uses
// about 1 s of CPU per wall second. Much less means the wall-clock figures are diluted.
facts.cpuShare = shares.length ? median(shares).toFixed(2) : 'n/a';
facts.loadAfter = loadavg()[0].toFixed(2);

console.log(`\n${textTable(rows)}\n`);
const { judged, passed, failed } = targetSummary(rows);
console.log(`targets: ${passed}/${judged} PASS${failed.length ? `; FAIL: ${failed.map((r) => `${r.case} / ${r.contender}`).join('; ')}` : ''}`);
console.log(`total ${seconds.toFixed(0)} s; CPU share of sync slices ${facts.cpuShare} (1.00 = undisturbed); load ${facts.loadBefore} → ${facts.loadAfter}`);
if (settings.clock === 'wall' && Number(facts.cpuShare) < 0.85) {
  console.warn('WARNING: other processes took the CPU during this run; wall-clock figures are unreliable.');
  console.warn('WARNING: re-run on a quiet machine, or with --clock cpu (single-thread cases timed by CPU time).');
}

const command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;
if (jsonOut) {
  writeFileSync(jsonOut, `${JSON.stringify({ command, facts, settings, seconds, rows }, null, 2)}\n`);
  console.log(`wrote ${jsonOut}`);
}
if (writeDocs) {
  writeFileSync(new URL('docs/benchmarks.md', root), markdownPage({ command, facts, settings, rows, seconds }));
  console.log('wrote docs/benchmarks.md');
}
