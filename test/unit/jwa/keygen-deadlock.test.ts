/**
 * Key generation must never hang on Node 20's keygen-job lock (src/jwa/platform/node.ts,
 * KEYGEN_DEADLOCK): ephemeral ECDH keys and generated JWKs, in a loop, under a GC that runs
 * compacting collections all the time. Before the fix this child hung (0% CPU) within a second.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { platform } from '#platform';

test('ephemeral ECDH keys and generated keys under --stress-compaction finish', { skip: platform.name !== 'node' && 'node:crypto only' }, () => {
  const child = new URL('../../helpers/keygen-stress.ts', import.meta.url).pathname;
  const r = spawnSync(process.execPath, ['--stress-compaction', '--import', 'tsx', '-C', 'tessera-source', child, '0.5'], {
    encoding: 'utf8',
    timeout: 60_000,
    killSignal: 'SIGKILL',
  });
  assert.equal(r.signal, null, `the child was killed (hung?) after 60 s: ${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /rounds [1-9]/);
});
