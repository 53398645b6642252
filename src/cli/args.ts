/** A small strict flag parser over node:util parseArgs: an unknown flag is a usage error (exit 2). */
import { parseArgs } from 'node:util';
import { CliError } from './io.js';

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

export interface Parsed {
  readonly values: Record<string, string | boolean | string[] | undefined>;
  readonly positionals: string[];
}

/** Parses argv against the command's flags (plus --help); throws ERR_USAGE on anything else. */
export function parse(command: string, argv: readonly string[], flags: FlagSpec, maxPositionals: number): Parsed {
  let r;
  try {
    // --json (errors as JSON) is understood by every command; sign and encrypt give it a value.
    const options = { json: { type: 'boolean' as const }, ...flags, help: { type: 'boolean' as const, short: 'h' } };
    r = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (err) {
    // The first sentence of parseArgs' message names the flag; the rest is advice about '--'.
    const msg = ((err as Error).message.split('\n')[0] ?? 'bad arguments').replace(/\. To specify a positional.*$/, '');
    throw new CliError('ERR_USAGE', `${command}: ${msg} (see tessera ${command} --help)`);
  }
  if (r.values['help'] !== true && r.positionals.length > maxPositionals) {
    // The extra argument is not echoed: it may be a token.
    throw new CliError('ERR_USAGE', `${command}: too many arguments (at most ${maxPositionals}; see tessera ${command} --help)`);
  }
  return { values: r.values as Parsed['values'], positionals: r.positionals };
}

export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function list(p: Parsed, name: string): string[] | undefined {
  const v = p.values[name];
  if (Array.isArray(v)) return v.flatMap((s) => s.split(',')).filter((s) => s !== '');
  return typeof v === 'string' ? [v] : undefined;
}

export function flag(p: Parsed, name: string): boolean {
  return p.values[name] === true;
}

/** A required string flag. */
export function need(command: string, p: Parsed, name: string): string {
  const v = str(p, name);
  if (v === undefined || v === '') throw new CliError('ERR_USAGE', `${command}: --${name} is required (see tessera ${command} --help)`);
  return v;
}

/** The --json serialization choice of sign and encrypt. */
export function serialization(command: string, p: Parsed): 'compact' | 'general' | 'flattened' {
  const v = str(p, 'json');
  if (v === undefined) return 'compact';
  if (v === 'general' || v === 'flattened') return v;
  throw new CliError('ERR_USAGE', `${command}: --json takes general or flattened`);
}
