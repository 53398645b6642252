/** `tessera verify`: checks a JWS (any serialization) and, for a JWT, its claims; prints the payload. */
import { JWTInvalidError, verifyFlattenedJWS, verifyGeneralJWS, verifyJWS, verifyJWT, type VerifyOptions } from '../../index.js';
import { list, need, parse } from '../args.js';
import type { Command } from '../command.js';
import { CliError, readText, writeBytes, type IO } from '../io.js';
import { loadVerifyKey } from '../keys.js';
import { VALIDATION_FLAGS, detect, isJSONObject, validationOptions } from '../token.js';

const HELP = `Usage: tessera verify --key FILE|URL [--alg ALG ...] [--iss I] [--aud A] [--typ T]
                      [--max-age D] [--clock-tolerance D] [TOKEN]

Verifies the token in TOKEN (a file, or stdin when absent) and prints its payload. Compact,
flattened JSON and general JSON serializations are told apart automatically. When the payload
is a JSON object the token is a JWT and its claims are validated too (exp, nbf, iat always; the
flags below when given).

  --key FILE|URL        public JWK, JWKS, PEM, or an https:// JWKS URL (http:// only for loopback)
  --alg ALG             allowed algorithm(s); repeat or comma-separate (default: what the key fits)
  --iss I               required issuer
  --aud A               required audience (repeatable: any of them)
  --typ T               required typ header
  --max-age D           iat at most D ago
  --clock-tolerance D   leeway for exp, nbf, iat

Exit status: 0 valid, 1 the token is invalid, 2 usage or input error.

Example:
  tessera verify --key issuer.pub.jwk token.jwt`;

export const verify: Command = {
  name: 'verify',
  summary: 'verify a JWS or JWT and print its payload',
  help: HELP,
  checksToken: true,
  async run(argv, io: IO) {
    const p = parse('verify', argv, { key: { type: 'string' }, alg: { type: 'string', multiple: true }, ...VALIDATION_FLAGS }, 1);
    const key = await loadVerifyKey(need('verify', p, 'key'));
    const algorithms = list(p, 'alg');
    const options: VerifyOptions = algorithms !== undefined ? { algorithms } : {};
    const claimChecks = validationOptions(p);
    const wantsClaims = Object.keys(claimChecks).length > 0;
    const t = detect(readText(p.positionals[0]));
    if (t.kind === 'jwe') throw new CliError('ERR_JWS_EXPECTED', 'this is an encrypted token (JWE): use tessera decrypt or tessera open', 1);

    let compact: string | undefined;
    let payload: Uint8Array;
    if (t.form === 'compact') {
      // The signature first (RFC 7519 §7.2): nothing of the payload is read before it verifies.
      payload = (await verifyJWS(t.token, key, options)).payload;
      compact = t.token;
    } else if (t.form === 'flattened') {
      const r = await verifyFlattenedJWS(t.text, key, options);
      payload = r.payload;
      if (t.json['header'] === undefined) compact = `${String(t.json['protected'])}.${String(t.json['payload'])}.${String(t.json['signature'])}`;
    } else {
      const r = await verifyGeneralJWS(t.text, key, options);
      payload = r.payload;
      const sig = (t.json['signatures'] as Array<Record<string, unknown>>)[r.signatureIndex];
      if (sig !== undefined && sig['header'] === undefined) compact = `${String(sig['protected'])}.${String(t.json['payload'])}.${String(sig['signature'])}`;
    }
    if (wantsClaims || isJSONObject(payload)) {
      // A JWT: the claims are validated on the compact form the signature was made over.
      if (compact === undefined) throw new JWTInvalidError('the claims of a JWS with unprotected headers cannot be validated as a JWT');
      await verifyJWT(compact, key, { ...options, ...claimChecks });
    }
    writeBytes(io, payload);
    return 0;
  },
};
