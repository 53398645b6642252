/** `tessera inspect`: shows a token's header and claims WITHOUT verifying anything. */
import { decodeJWT } from '../../index.js';
import { flag, parse } from '../args.js';
import type { Command } from '../command.js';
import { CliError, colourOn, readText, writeLine, type IO } from '../io.js';
import { detect } from '../token.js';

const HELP = `Usage: tessera inspect [--json] [TOKEN]

Shows the token in TOKEN (a file, or stdin when absent) without any key and WITHOUT verifying
anything: for a JWS its header and claims, with exp, nbf and iat in human form; for a JWE its
protected header and recipients (the content stays encrypted). Anyone can write any header and
claims: never decide anything on what inspect shows.

  --json   machine-readable output (a JSON object with "verified": false)

Example:
  tessera inspect token.jwt`;

const TIME_CLAIMS = new Set(['exp', 'nbf', 'iat']);

/** "14 min", "3 h", "2 d": a span rounded to its largest sensible unit. */
function span(seconds: number): string {
  const s = Math.round(Math.abs(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 2 * 86400) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

/** `2026-11-28 14:02 UTC (in 14 min)`, `… (expired 3 h ago)`. */
export function humanTime(claim: string, value: unknown, now: number): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${JSON.stringify(value)} (not a NumericDate)`;
  const d = new Date(value * 1000);
  if (Number.isNaN(d.getTime())) return `${value} (out of range)`;
  const when = `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const delta = value - now;
  let rel: string;
  if (claim === 'exp') rel = delta > 0 ? `in ${span(delta)}` : `expired ${span(delta)} ago`;
  else if (claim === 'nbf') rel = delta > 0 ? `not valid for another ${span(delta)}` : `${span(delta)} ago`;
  else rel = delta > 0 ? `in ${span(delta)}, in the future` : `${span(delta)} ago`;
  return `${when} (${rel})`;
}

/** Decodes one base64url JSON header for display only (the library's decoder checks compact tokens). */
function decodeHeader(b64: unknown): Record<string, unknown> | undefined {
  if (typeof b64 !== 'string') return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(b64, 'base64url').toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    throw new CliError('ERR_JSON_INVALID', 'a protected header is not base64url JSON', 1);
  }
}

function decodeClaims(b64: unknown): Record<string, unknown> | undefined {
  return decodeHeader(b64);
}

interface Report {
  kind: 'jws' | 'jwe';
  serialization: string;
  header?: Record<string, unknown> | undefined;
  signatures?: unknown[];
  claims?: Record<string, unknown> | undefined;
  protectedHeader?: Record<string, unknown> | undefined;
  unprotectedHeader?: unknown;
  recipients?: unknown[];
  encrypted?: true;
  verified: false;
}

function build(text: string): Report {
  const t = detect(text);
  if (t.form === 'compact') {
    const d = decodeJWT(t.token);
    if (d.kind === 'jws') return { kind: 'jws', serialization: 'compact', header: { ...d.header }, claims: d.claims === undefined ? undefined : { ...d.claims }, verified: false };
    const h = { ...d.header } as Record<string, unknown>;
    const recipient: Record<string, unknown> = {};
    for (const k of ['alg', 'kid', 'epk']) if (h[k] !== undefined) recipient[k] = h[k];
    return { kind: 'jwe', serialization: 'compact', protectedHeader: h, recipients: [recipient], encrypted: true, verified: false };
  }
  const j = t.json;
  if (t.kind === 'jws') {
    const sigs = t.form === 'general' ? (Array.isArray(j['signatures']) ? (j['signatures'] as Array<Record<string, unknown>>) : []) : [j];
    const signatures = sigs.map((s) => ({ protected: decodeHeader(s['protected']), header: s['header'] }));
    return { kind: 'jws', serialization: t.form, signatures, claims: decodeClaims(j['payload']), verified: false };
  }
  const recipients = t.form === 'general' ? (Array.isArray(j['recipients']) ? (j['recipients'] as Array<Record<string, unknown>>) : []) : [j];
  return {
    kind: 'jwe',
    serialization: t.form,
    protectedHeader: decodeHeader(j['protected']),
    unprotectedHeader: j['unprotected'],
    recipients: recipients.map((r) => ({ header: r['header'], encrypted_key: typeof r['encrypted_key'] === 'string' })),
    encrypted: true,
    verified: false,
  };
}

function human(r: Report, io: IO): string {
  const c = colourOn(io.stdout, io.env);
  const bold = (s: string) => (c ? `\x1b[1m${s}\x1b[0m` : s);
  const warn = (s: string) => (c ? `\x1b[33m${s}\x1b[0m` : s);
  const now = Date.now() / 1000;
  const lines: string[] = [];
  const obj = (label: string, o: unknown) => {
    lines.push(`${bold(label)}:`);
    if (o === undefined || o === null || typeof o !== 'object') lines.push(`  ${JSON.stringify(o) ?? '(none)'}`);
    else for (const [k, v] of Object.entries(o)) lines.push(`  ${k}: ${JSON.stringify(v)}`);
  };
  if (r.kind === 'jws') {
    lines.push(`${bold('JWS')} (${r.serialization} serialization)`);
    if (r.header !== undefined) obj('header', r.header);
    r.signatures?.forEach((s, i) => obj(`signature ${i + 1}`, s));
    if (r.claims === undefined) lines.push(`${bold('payload')}: not a JSON object (not a JWT)`);
    else {
      lines.push(`${bold('claims')}:`);
      for (const [k, v] of Object.entries(r.claims)) lines.push(`  ${k}: ${TIME_CLAIMS.has(k) ? humanTime(k, v, now) : JSON.stringify(v)}`);
    }
    lines.push(warn('warning: NOT verified: the signature was not checked; anyone can write this header and these claims.'));
  } else {
    lines.push(`${bold('JWE')} (${r.serialization} serialization)`);
    obj('protected header', r.protectedHeader);
    if (r.unprotectedHeader !== undefined) obj('shared unprotected header', r.unprotectedHeader);
    r.recipients?.forEach((x, i) => obj(`recipient ${i + 1}`, x));
    lines.push('The content is encrypted: only the recipient\'s private key can read it (tessera decrypt).');
    lines.push(warn('warning: NOT verified: the headers above are not authenticated until the token is decrypted.'));
  }
  return lines.join('\n');
}

export const inspect: Command = {
  name: 'inspect',
  summary: 'show a token\'s headers and claims (nothing verified)',
  help: HELP,
  checksToken: true,
  async run(argv, io: IO) {
    const p = parse('inspect', argv, { json: { type: 'boolean' } }, 1);
    const report = build(readText(p.positionals[0]));
    writeLine(io, flag(p, 'json') ? JSON.stringify(report, null, 2) : human(report, io));
    return 0;
  },
};
