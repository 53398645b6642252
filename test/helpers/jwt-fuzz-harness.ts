/**
 * Runs the JWT fuzzer in a worker thread under a watchdog, so that no input can hang the caller:
 * a token that does not return within `hangMs`, or a run that outlasts `budgetMs`, terminates
 * the worker and is reported with the seed and the token index to replay.
 *
 * The worker inherits the caller's export conditions (`-C tessera-source`, `-C tessera-web`), so
 * it exercises the same backend; it loads TypeScript through tsx's API.
 */
import { Worker } from 'node:worker_threads';
import type { FuzzConfig, FuzzReport } from './jwt-fuzz.ts';

export interface WatchOptions {
  /** The whole run, setup included. */
  readonly budgetMs: number;
  /** One token. */
  readonly hangMs: number;
  /** Called about once a second with the tokens done so far. */
  readonly onProgress?: (done: number, ms: number) => void;
}

export type WorkerOutcome =
  | { readonly kind: 'done'; readonly report: FuzzReport }
  | { readonly kind: 'hang'; readonly index: number; readonly ms: number }
  | { readonly kind: 'over budget'; readonly index: number; readonly done: number; readonly ms: number }
  | { readonly kind: 'crashed'; readonly error: string };

/** Runs `config` in a worker under the watchdog. */
export function fuzzInWorker(config: Omit<FuzzConfig, 'progress' | 'trace'>, watch: WatchOptions): Promise<WorkerOutcome> {
  const shared = new SharedArrayBuffer(8);
  const progress = new Int32Array(shared);
  progress[0] = -1;
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./jwt-fuzz-worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  // The test runner's own flags are not the worker's business.
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--test'));
  const worker = new Worker(code, { eval: true, execArgv, workerData: { config, progress: shared } });
  return new Promise((resolve) => {
    const started = performance.now();
    let lastIndex = -1;
    let lastChange = started;
    let lastReport = started;
    let settled = false;
    const finish = (outcome: WorkerOutcome) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      void worker.terminate();
      resolve(outcome);
    };
    const timer = setInterval(() => {
      const now = performance.now();
      const index = Atomics.load(progress, 0);
      const done = Atomics.load(progress, 1);
      if (index !== lastIndex) {
        lastIndex = index;
        lastChange = now;
      } else if (index >= 0 && now - lastChange > watch.hangMs) {
        finish({ kind: 'hang', index, ms: now - lastChange });
        return;
      }
      if (now - started > watch.budgetMs) finish({ kind: 'over budget', index, done, ms: now - started });
      else if (watch.onProgress && now - lastReport >= 1000) {
        lastReport = now;
        watch.onProgress(done, now - started);
      }
    }, 50);
    worker.on('message', (report: FuzzReport) => finish({ kind: 'done', report }));
    worker.on('error', (err) => finish({ kind: 'crashed', error: err.stack ?? String(err) }));
    worker.on('exit', (code) => finish({ kind: 'crashed', error: `the fuzz worker exited with code ${code}` }));
  });
}
