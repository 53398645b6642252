/** `tessera open`: decrypts and verifies a nested JWT in one step; prints the claims. */
import { decryptAndVerifyJWT, type DecryptOptions, type JWTVerifyOptions } from '../../index.js';
import { list, need, parse } from '../args.js';
import type { Command } from '../command.js';
import { CliError, readText, writeLine, type IO } from '../io.js';
import { loadDecryptKey, loadVerifyKey } from '../keys.js';
import { VALIDATION_FLAGS, detect, validationOptions } from '../token.js';

const HELP = `Usage: tessera open --decrypt-key FILE --verify-key FILE|URL [--alg ALG ...] [--key-alg ALG ...] [--enc ENC ...]
                    [--iss I] [--aud A] [--typ T] [--max-age D] [--clock-tolerance D] [TOKEN]

Decrypts a nested JWT (from tessera seal), verifies the signed JWT inside, validates its claims
and prints them as JSON.

  --decrypt-key FILE      the recipient's private key
  --verify-key FILE|URL   the issuer's public key, JWKS, or https:// JWKS URL
  --alg ALG               allowed signature algorithm(s) (default: what the key fits)
  --key-alg ALG           allowed key management algorithm(s)
  --enc ENC               allowed content encryption(s)
  validation flags        as for tessera verify

Exit status: 0 valid, 1 the token is invalid, 2 usage or input error.

Example:
  tessera open --decrypt-key recipient.jwk --verify-key issuer.pub.jwk sealed.jwe`;

export const open: Command = {
  name: 'open',
  summary: 'decrypt and verify a nested JWT',
  help: HELP,
  checksToken: true,
  async run(argv, io: IO) {
    const p = parse('open', argv, {
      'decrypt-key': { type: 'string' },
      'verify-key': { type: 'string' },
      alg: { type: 'string', multiple: true },
      'key-alg': { type: 'string', multiple: true },
      enc: { type: 'string', multiple: true },
      ...VALIDATION_FLAGS,
    }, 1);
    const decryptKey = await loadDecryptKey(need('open', p, 'decrypt-key'));
    const verifyKey = await loadVerifyKey(need('open', p, 'verify-key'));
    const algorithms = list(p, 'alg');
    const keyAlgs = list(p, 'key-alg');
    const encs = list(p, 'enc');
    const decryptOptions: DecryptOptions = { ...(keyAlgs !== undefined ? { algorithms: keyAlgs } : {}), ...(encs !== undefined ? { encryptions: encs } : {}) };
    const verifyOptions: JWTVerifyOptions = { ...(algorithms !== undefined ? { algorithms } : {}), ...validationOptions(p) };
    const t = detect(readText(p.positionals[0]));
    if (t.kind === 'jws') throw new CliError('ERR_JWE_EXPECTED', 'this is a signed token (JWS), not a nested one: use tessera verify', 1);
    // RFC 7519 §7.1: a JWT is compact; a nested JWT in JSON serialization is not one.
    if (t.form !== 'compact') throw new CliError('ERR_JWT_INVALID', 'a nested JWT is a compact JWE; this is a JSON serialization (use tessera decrypt)', 1);
    const r = await decryptAndVerifyJWT(t.token, { decryptKey, decryptOptions }, { verifyKey, verifyOptions });
    writeLine(io, JSON.stringify(r.payload));
    return 0;
  },
};
