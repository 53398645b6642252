/**
 * The worker side of jwt-fuzz-harness.ts: builds the fixtures, runs the fuzzer, posts the report.
 * Progress goes through shared memory, so the watchdog sees a token that never returns.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { makeFixtures } from './jwt-fuzz-fixtures.ts';
import { runFuzz, type FuzzConfig } from './jwt-fuzz.ts';

const { config, progress } = workerData as { config: FuzzConfig; progress: SharedArrayBuffer };
const fixtures = await makeFixtures();
const report = await runFuzz({ ...config, progress: new Int32Array(progress) }, fixtures);
parentPort?.postMessage(report);
