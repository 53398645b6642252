import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CODES } from '../../src/index.ts';
import { EXIT_CODES, exitCodeFor } from '../../src/cli/exit-codes.ts';

test('every library error code has an exit status of 1 or 2, and the table has no stray codes', () => {
  for (const code of ERROR_CODES) assert.ok(EXIT_CODES[code] === 1 || EXIT_CODES[code] === 2, `${code} is not mapped`);
  assert.deepEqual(Object.keys(EXIT_CODES).sort(), [...ERROR_CODES].sort());
});

test('token failures are 1, key and usage failures are 2', () => {
  for (const code of ['ERR_JWS_SIGNATURE_INVALID', 'ERR_JWT_EXPIRED', 'ERR_JWT_CLAIM_INVALID', 'ERR_JWE_DECRYPTION_FAILED', 'ERR_ALG_NONE', 'ERR_ALG_NOT_ALLOWED', 'ERR_BASE64URL_INVALID', 'ERR_JWKS_NO_MATCHING_KEY', 'ERR_CRIT_UNSUPPORTED'] as const) {
    assert.equal(exitCodeFor(code), 1, code);
  }
  for (const code of ['ERR_JWK_INVALID', 'ERR_KEY_INVALID', 'ERR_KEY_EMPTY', 'ERR_INVALID_ARGUMENT', 'ERR_JWKS_FETCH_FAILED'] as const) {
    assert.equal(exitCodeFor(code), 2, code);
  }
});
