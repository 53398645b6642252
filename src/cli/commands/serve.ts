/** `tessera serve`: the token server, once it exists. */
import type { Command } from '../command.js';
import { CliError } from '../io.js';
import { parse } from '../args.js';

export const serve: Command = {
  name: 'serve',
  summary: 'start the token server (not available yet)',
  help: `Usage: tessera serve

Not available yet: the token server is still being built. Exits with status 2.`,
  checksToken: false,
  async run(argv) {
    parse('serve', argv, {}, Number.MAX_SAFE_INTEGER);
    throw new CliError('ERR_NOT_AVAILABLE', 'serve is not available yet', 2);
  },
};
