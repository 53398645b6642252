/** `tessera seal`: a nested JWT (signed, then encrypted) in one step. */
import { signAndEncryptJWT, type JWSHeader } from '../../index.js';
import { need, parse, str } from '../args.js';
import type { Command } from '../command.js';
import { readInput, writeLine, type IO } from '../io.js';
import { loadSingleKey } from '../keys.js';
import { CLAIM_FLAGS, claimOptions, parseClaims } from '../token.js';

const HELP = `Usage: tessera seal --sign-key FILE --encrypt-key FILE [--alg ALG] [--key-alg ALG] [--enc ENC]
                    [--iss I] [--sub S] [--aud A] [--exp D] [--nbf T] [--jti] [INPUT]

Signs the JSON claims in INPUT (a file, or stdin when absent) as a JWT, then encrypts that JWT
for the recipient (a nested JWT, cty "JWT", RFC 7519 §5.2) and prints the compact JWE.

  --sign-key FILE      the issuer's private key
  --encrypt-key FILE   the recipient's public key
  --alg ALG            signature algorithm (default: the signing key's alg)
  --key-alg ALG        key management algorithm (default: the encryption key's alg)
  --enc ENC            content encryption (default A256GCM)
  claim flags          as for tessera sign

Example:
  echo '{"sub":"ada"}' | tessera seal --sign-key issuer.jwk --encrypt-key recipient.pub.jwk --exp 5m`;

export const seal: Command = {
  name: 'seal',
  summary: 'sign then encrypt JWT claims (nested JWT)',
  help: HELP,
  checksToken: false,
  async run(argv, io: IO) {
    const p = parse('seal', argv, {
      'sign-key': { type: 'string' },
      'encrypt-key': { type: 'string' },
      alg: { type: 'string' },
      'key-alg': { type: 'string' },
      enc: { type: 'string' },
      ...CLAIM_FLAGS,
    }, 1);
    const signPath = need('seal', p, 'sign-key');
    const encryptPath = need('seal', p, 'encrypt-key');
    const claimOpts = claimOptions(p) ?? {};
    const signKey = await loadSingleKey(signPath);
    const encryptKey = await loadSingleKey(encryptPath);
    const claims = parseClaims(readInput(p.positionals[0]));
    const alg = str(p, 'alg');
    const keyAlg = str(p, 'key-alg');
    const signHeader: JWSHeader = signKey.kid !== undefined ? { kid: signKey.kid } : {};
    const token = await signAndEncryptJWT(
      claims,
      { signKey, signOptions: { ...claimOpts, ...(alg !== undefined ? { alg } : {}), protectedHeader: signHeader } },
      {
        encryptKey,
        encryptOptions: {
          enc: str(p, 'enc') ?? 'A256GCM',
          ...(keyAlg !== undefined ? { alg: keyAlg } : {}),
          ...(encryptKey.kid !== undefined ? { protectedHeader: { kid: encryptKey.kid } } : {}),
        },
      },
    );
    writeLine(io, token);
    return 0;
  },
};
