/** `tessera decrypt`: decrypts a JWE (any serialization) and prints the plaintext. */
import { decryptFlattenedJWE, decryptGeneralJWE, decryptJWE, type DecryptOptions } from '../../index.js';
import { list, need, parse } from '../args.js';
import type { Command } from '../command.js';
import { CliError, readText, writeBytes, type IO } from '../io.js';
import { loadDecryptKey } from '../keys.js';
import { detect } from '../token.js';

const HELP = `Usage: tessera decrypt --key FILE [--alg ALG ...] [--enc ENC ...] [TOKEN]

Decrypts the JWE in TOKEN (a file, or stdin when absent) and prints the plaintext. Compact,
flattened JSON and general JSON serializations are told apart automatically. Nothing in the
plaintext is validated: for an encrypted JWT with a signature inside, use tessera open.

  --key FILE    the private (or secret) key: JWK, JWKS or PKCS#8 PEM
  --alg ALG     allowed key management algorithm(s) (default: what the key fits; never PBES2)
  --enc ENC     allowed content encryption(s) (default: all)

Exit status: 0 decrypted, 1 the token is invalid or cannot be decrypted, 2 usage or input error.

Example:
  tessera decrypt --key recipient.jwk secret.jwe`;

export const decrypt: Command = {
  name: 'decrypt',
  summary: 'decrypt a JWE and print the plaintext',
  help: HELP,
  checksToken: true,
  async run(argv, io: IO) {
    const p = parse('decrypt', argv, { key: { type: 'string' }, alg: { type: 'string', multiple: true }, enc: { type: 'string', multiple: true } }, 1);
    const key = await loadDecryptKey(need('decrypt', p, 'key'));
    const algorithms = list(p, 'alg');
    const encryptions = list(p, 'enc');
    const options: DecryptOptions = { ...(algorithms !== undefined ? { algorithms } : {}), ...(encryptions !== undefined ? { encryptions } : {}) };
    const t = detect(readText(p.positionals[0]));
    if (t.kind === 'jws') throw new CliError('ERR_JWE_EXPECTED', 'this is a signed token (JWS), not an encrypted one: use tessera verify', 1);
    const r =
      t.form === 'compact'
        ? await decryptJWE(t.token, key, options)
        : t.form === 'flattened'
          ? await decryptFlattenedJWE(t.text, key, options)
          : await decryptGeneralJWE(t.text, key, options);
    writeBytes(io, r.plaintext);
    return 0;
  },
};
