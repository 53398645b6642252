// Finding the external peers and talking to them. A missing peer is a test failure, never a skip:
// the message names the package that provides it (.ci/run installs them all).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

/** Where to find each peer; the environment variables exist so the failure path can be tried. */
export const PEERS = {
  python: {
    path: process.env.TESSERA_INTEROP_PYTHON ?? '/usr/bin/python3',
    install: 'the Debian package "python3-jwcrypto" (apt-get install python3-jwcrypto)',
  },
  joseC: {
    path: process.env.TESSERA_INTEROP_JOSE ?? '/usr/bin/jose',
    install: 'the Debian package "jose" (apt-get install jose)',
  },
  joseNPM: {
    install: 'the npm devDependency "jose" v6 (npm install)',
  },
} as const;

/** The error a test fails with when a peer is missing. */
export function missingPeer(what: string, install: string, detail?: string): Error {
  const ci = process.env.CI === 'true' ? ' (CI=true)' : '';
  return new Error(`interop peer missing${ci}: ${what} is not available; install ${install}${detail ? ` — ${detail}` : ''}`);
}

/** Throws {@link missingPeer} unless `path` is an executable file. */
export function requireExecutable(path: string, what: string, install: string): void {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw missingPeer(`${what} (${path})`, install);
  }
}

/** Runs a command to completion (arguments as an array, so nothing is shell-interpreted). */
export function run(cmd: string, args: readonly string[], options: { input?: string; cwd?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, {
    input: options.input,
    cwd: options.cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
}
