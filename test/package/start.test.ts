// `npm start` (scripts/start.mjs) is the README's first command: it must run on a fresh build and
// show what it claims (forgeries refused, the nested token opened, another audience refused).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

const root = new URL('../../', import.meta.url).pathname;

test('npm start runs the tour', () => {
  const out = execFileSync(process.execPath, ['scripts/start.mjs'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  assert.match(out, /tessera on the node backend/);
  for (const alg of ['HS256', 'RS256', 'PS256', 'ES256', 'EdDSA']) {
    assert.match(out, new RegExp(`${alg} +signed \\d+ chars, verified .*forgery → ERR_JWS_SIGNATURE_INVALID`));
  }
  assert.match(out, /the API sees sub=ada, email=ada@example.com/);
  assert.match(out, /another API → ERR_JWT_CLAIM_INVALID \(aud\)/);
  assert.doesNotMatch(out, /ACCEPTED/);
});
