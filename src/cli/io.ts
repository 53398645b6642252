/** Input, output and the one-line error report of the tessera command line. */
import { readFileSync } from 'node:fs';
import { isTesseraError } from '../index.js';
import { exitCodeFor, type CliExit } from './exit-codes.js';

/** Codes the command line itself raises (the library's codes come from TesseraError). */
export type CliErrorCode = 'ERR_USAGE' | 'ERR_INPUT_INVALID' | 'ERR_FILE_UNREADABLE' | 'ERR_FILE_EXISTS' | 'ERR_NOT_AVAILABLE';

/** An error of the command line: a code, a plain message and the exit status. */
export class CliError extends Error {
  readonly code: CliErrorCode | string;
  readonly exit: CliExit;
  constructor(code: CliErrorCode | string, message: string, exit: CliExit = 2) {
    super(message);
    this.code = code;
    this.exit = exit;
  }
}

/** Where the command reads from and writes to (tests of main() can swap these). */
export interface IO {
  readonly stdout: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean };
  readonly stderr: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean };
  readonly env: Record<string, string | undefined>;
}

/** Reads a file argument, or all of stdin when the argument is absent or `-`. */
export function readInput(file: string | undefined): Uint8Array {
  if (file === undefined || file === '-') {
    try {
      return readFileSync(0);
    } catch (err) {
      // EAGAIN on a non-blocking TTY, EOF on a closed stdin: both mean "no input".
      throw new CliError('ERR_FILE_UNREADABLE', `cannot read standard input (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  return readFileOrFail(file, 'input file');
}

/** Reads a file, turning a filesystem error into a plain exit-2 message naming the file. */
export function readFileOrFail(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (code ?? 'error');
    throw new CliError('ERR_FILE_UNREADABLE', `cannot read ${what} '${path}': ${why}`);
  }
}

/** The input as text, without surrounding whitespace (tokens and JSON). */
export function readText(file: string | undefined): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(readInput(file)).trim();
}

/** Whether colour may be used on a stream: a TTY, and NO_COLOR unset or empty (no-color.org). */
export function colourOn(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  return stream.isTTY === true && (env['NO_COLOR'] === undefined || env['NO_COLOR'] === '');
}

/** Writes text to stdout, ending with exactly one newline if it had none. */
export function writeLine(io: IO, text: string): void {
  io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Writes bytes to stdout as they are, adding a newline only if they do not end with one. */
export function writeBytes(io: IO, bytes: Uint8Array): void {
  io.stdout.write(bytes);
  if (bytes.length === 0 || bytes[bytes.length - 1] !== 0x0a) io.stdout.write('\n');
}

/**
 * Reports an error on stderr as one line (`tessera: CODE: message`) or, with --json, one JSON
 * object; returns the exit status. Never a stack trace: an unexpected error is reported by its
 * message only.
 */
export function reportError(io: IO, err: unknown, json: boolean, tokenCommand: boolean): CliExit {
  let code: string;
  let message: string;
  let exit: CliExit;
  if (err instanceof CliError) {
    ({ code, message, exit } = err);
  } else if (isTesseraError(err)) {
    code = err.code;
    message = err.message;
    exit = tokenCommand ? exitCodeFor(err.code) : 2;
  } else {
    code = 'ERR_INTERNAL';
    message = err instanceof Error ? err.message : String(err);
    exit = 2;
  }
  message = message.replace(/\s+/g, ' ').trim();
  if (json) io.stderr.write(`${JSON.stringify({ error: { code, message, exit } })}\n`);
  else {
    const c = colourOn(io.stderr, io.env);
    io.stderr.write(`${c ? '\x1b[31mtessera\x1b[0m' : 'tessera'}: ${code}: ${message}\n`);
  }
  return exit;
}
