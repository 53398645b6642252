/** `tessera jwks FILE...`: a public JWK Set built from key files. */
import { exportJWK, importJWK, type JWK, type TesseraKey } from '../../index.js';
import { parse } from '../args.js';
import type { Command } from '../command.js';
import { CliError, writeLine, type IO } from '../io.js';
import { loadKeyFile } from '../keys.js';

const HELP = `Usage: tessera jwks FILE...

Prints a JWK Set of the public parts of the keys in the files (JWK, JWKS or PEM; private keys
are reduced to their public part). Secret (oct) keys are refused: they must never be published.

Example:
  tessera jwks issuer.jwk old-issuer.pub.jwk > jwks.json`;

function publicOf(key: TesseraKey, path: string): JWK {
  // SECURITY: a JWKS is published; a secret key in it would be given away.
  if (key.family === 'oct') throw new CliError('ERR_USAGE', `'${path}' holds a secret key: it cannot go into a public JWKS`);
  return exportJWK(key, { public: true });
}

export const jwks: Command = {
  name: 'jwks',
  summary: 'build a public JWK Set from key files',
  help: HELP,
  checksToken: false,
  async run(argv, io: IO) {
    const p = parse('jwks', argv, {}, Number.MAX_SAFE_INTEGER);
    if (p.positionals.length === 0) throw new CliError('ERR_USAGE', 'jwks: give at least one key file');
    const keys: JWK[] = [];
    for (const path of p.positionals) {
      const loaded = await loadKeyFile(path);
      if (loaded.kind === 'key') keys.push(publicOf(loaded.key, path));
      else for (const jwk of loaded.jwks.keys) keys.push(publicOf(await importJWK(jwk), path));
    }
    writeLine(io, JSON.stringify({ keys }, null, 2));
    return 0;
  },
};
