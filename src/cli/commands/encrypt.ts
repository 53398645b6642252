/** `tessera encrypt`: a JWE of the input. */
import { encryptJWE, type EncryptOptions } from '../../index.js';
import { flag, need, parse, serialization, str } from '../args.js';
import type { Command } from '../command.js';
import { readInput, writeLine, type IO } from '../io.js';
import { loadSingleKey } from '../keys.js';
import { jweAsJSON } from '../token.js';

const HELP = `Usage: tessera encrypt --key FILE --alg ALG --enc ENC [--zip] [--cty T] [--json general|flattened] [INPUT]

Encrypts INPUT (a file, or stdin when absent) for the key's holder and prints a compact JWE.

  --key FILE     the recipient's public key (JWK, JWKS of one key, SPKI PEM), or a secret JWK
  --alg ALG      key management (default: the key's own alg), e.g. ECDH-ES+A256KW, RSA-OAEP-256, A256KW, dir
  --enc ENC      content encryption: A128GCM, A192GCM, A256GCM, A128CBC-HS256, A192CBC-HS384, A256CBC-HS512
  --zip          compress (DEFLATE) before encrypting
  --cty T        the cty header
  --json FORM    print the flattened or general JSON serialization instead

Example:
  echo 'the secret' | tessera encrypt --key recipient.pub.jwk --alg ECDH-ES+A256KW --enc A256GCM`;

export const encrypt: Command = {
  name: 'encrypt',
  summary: 'encrypt a payload (JWE)',
  help: HELP,
  checksToken: false,
  async run(argv, io: IO) {
    const p = parse('encrypt', argv, {
      key: { type: 'string' },
      alg: { type: 'string' },
      enc: { type: 'string' },
      zip: { type: 'boolean' },
      cty: { type: 'string' },
      json: { type: 'string' },
    }, 1);
    const keyPath = need('encrypt', p, 'key');
    const enc = need('encrypt', p, 'enc');
    const form = serialization('encrypt', p);
    const key = await loadSingleKey(keyPath);
    const input = readInput(p.positionals[0]);
    const alg = str(p, 'alg');
    const cty = str(p, 'cty');
    const header: Record<string, unknown> = {};
    if (key.kid !== undefined) header['kid'] = key.kid;
    if (cty !== undefined) header['cty'] = cty;
    const options: EncryptOptions = {
      enc,
      protectedHeader: header,
      ...(alg !== undefined ? { alg } : {}),
      ...(flag(p, 'zip') ? { zip: 'DEF' as const } : {}),
    };
    const token = await encryptJWE(input, key, options);
    writeLine(io, form === 'compact' ? token : jweAsJSON(token, form));
    return 0;
  },
};
