/** `tessera sign`: a JWS (or, with claim flags, a JWT) over the input. */
import { signJWS, signJWT, type JWSHeader } from '../../index.js';
import { need, parse, serialization, str } from '../args.js';
import type { Command } from '../command.js';
import { readInput, writeLine, type IO } from '../io.js';
import { loadSingleKey } from '../keys.js';
import { CLAIM_FLAGS, claimOptions, headerFlag, jwsAsJSON, parseClaims } from '../token.js';

const HELP = `Usage: tessera sign --key FILE [--alg ALG] [--header JSON] [--typ T] [--iss I] [--sub S] [--aud A]
                    [--exp 15m] [--nbf T] [--jti] [--json general|flattened] [INPUT]

Signs INPUT (a file, or stdin when absent) as the payload, byte for byte, and prints a compact
JWS. With any claim flag (--iss --sub --aud --exp --nbf --jti) the input must be a JSON object of
claims and the result is a JWT (iat is added). The key's kid goes into the header.

  --key FILE        private JWK, single-key JWKS or PKCS#8 PEM
  --alg ALG         the algorithm (default: the key's own alg)
  --header JSON     extra protected header members, e.g. '{"cty":"x"}'
  --typ T           the typ header
  --exp D           expires after D (30s, 15m, 2h, 7d, 1w, or seconds)
  --nbf T           not before: a duration from now, or an ISO date
  --jti             add a random jti
  --json FORM       print the flattened or general JSON serialization instead

Example:
  echo '{"sub":"ada"}' | tessera sign --key issuer.jwk --exp 5m`;

export const sign: Command = {
  name: 'sign',
  summary: 'sign a payload or JWT claims (JWS)',
  help: HELP,
  checksToken: false,
  async run(argv, io: IO) {
    const p = parse('sign', argv, {
      key: { type: 'string' },
      alg: { type: 'string' },
      header: { type: 'string' },
      typ: { type: 'string' },
      json: { type: 'string' },
      ...CLAIM_FLAGS,
    }, 1);
    const keyPath = need('sign', p, 'key');
    const form = serialization('sign', p);
    const claims = claimOptions(p);
    const header: Record<string, unknown> = headerFlag(p);
    const key = await loadSingleKey(keyPath);
    const input = readInput(p.positionals[0]);
    const alg = str(p, 'alg');
    const typ = str(p, 'typ');
    if (key.kid !== undefined && header['kid'] === undefined) header['kid'] = key.kid;
    if (typ !== undefined) header['typ'] = typ;
    const protectedHeader = header as JWSHeader;
    let token: string;
    if (claims !== undefined) {
      token = await signJWT(parseClaims(input), key, { ...claims, ...(alg !== undefined ? { alg } : {}), protectedHeader });
    } else {
      token = await signJWS(input, key, { ...(alg !== undefined ? { alg } : {}), protectedHeader });
    }
    writeLine(io, form === 'compact' ? token : jwsAsJSON(token, form));
    return 0;
  },
};
