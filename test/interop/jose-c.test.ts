// Interop with the `jose` C tool (latchset/jose, Debian package "jose", /usr/bin/jose).
// This build lists no EdDSA (and no RSA-OAEP) and no ES256K, so it shares HS*, RS*, PS* and
// ES256/384/512 with tessera; the probe reads `jose alg` so a newer build fails loudly here.
//
// All jose work of one direction runs from one generated sh script (one process start from
// node); every step's exit status comes back on stdout, its stderr in a file.
import { after } from 'node:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeBase64URL } from '../../src/core/base64url.ts';
import type { FlattenedJWS, GeneralJWS, JWK } from '../../src/index.ts';
import { SHARED } from './helpers/cases.ts';
import { PEERS, missingPeer, requireExecutable, run } from './helpers/peers.ts';
import { interopSuite, type Produced, type Verdict } from './helpers/suite.ts';

const { path: JOSE, install } = PEERS.joseC;
const dir = mkdtempSync(join(tmpdir(), 'tessera-jose-c-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string): string => join(dir, name);
const read = (name: string): string => readFileSync(file(name), 'utf8').trim();
const json = <T>(name: string): T => JSON.parse(read(name)) as T;

/** One step of a batch script: run jose with args, report "<name> <status>", keep stderr. */
const step = (name: string, args: string): string => `"$J" ${args} 2>${name}.err; echo "${name} $?"`;

/** Runs a batch script in the work directory; returns each step's exit status by name. */
function batch(lines: readonly string[]): Map<string, number> {
  const r = run('/bin/sh', ['-c', `J="$1"\n${lines.join('\n')}`, 'sh', JOSE], { cwd: dir });
  if (r.error || r.status !== 0) throw new Error(`the jose batch script failed (${r.status}): ${r.error?.message ?? r.stderr}`);
  const status = new Map<string, number>();
  for (const line of r.stdout.trim().split('\n')) {
    const [name, code] = line.split(' ');
    status.set(name as string, Number(code));
  }
  return status;
}

/** Throws with the step's stderr unless every named step exited 0. */
function assertSucceeded(status: Map<string, number>, names: readonly string[]): void {
  for (const name of names) {
    if (status.get(name) !== 0) throw new Error(`jose step ${name} exited with ${status.get(name)}: ${read(`${name}.err`)}`);
  }
}

interopSuite({
  name: 'jose C tool (Debian "jose")',
  shared: SHARED.joseC,
  rejection: /^exit 1: Signature validation failed/,
  async require() {
    requireExecutable(JOSE, 'the jose C tool', install);
    const r = run(JOSE, ['alg']);
    if (r.status !== 0) throw missingPeer('a working jose C tool', install, r.stderr || r.error?.message);
  },
  async produce(items, generalPayload, probe) {
    const lines = [step('algs', 'alg >algs.txt')];
    const names: string[] = ['algs'];
    items.forEach((item, i) => {
      const c = `c${i}`;
      writeFileSync(file(`${c}.tpl`), JSON.stringify({ alg: item.case.alg }));
      writeFileSync(file(`${c}.payload`), item.payload);
      writeFileSync(file(`${c}.fpayload`), item.foreignPayload);
      writeFileSync(file(`${c}.tessera.jwk`), JSON.stringify(item.foreignPrivate));
      const steps: [string, string][] = [
        [`${c}.gen`, `jwk gen -i ${c}.tpl -o ${c}.jwk`],
        [`${c}.pub`, `jwk pub -i ${c}.jwk -o ${c}.pub`],
        [`${c}.thp`, `jwk thp -i ${c}.jwk -o ${c}.thp`],
        [`${c}.fthp`, `jwk thp -i ${c}.tessera.jwk -o ${c}.fthp`],
        [`${c}.compact`, `jws sig -I ${c}.payload -k ${c}.jwk -c -o ${c}.compact`],
        [`${c}.fcompact`, `jws sig -I ${c}.fpayload -k ${c}.tessera.jwk -c -o ${c}.fcompact`],
        [`${c}.flat`, `jws sig -I ${c}.payload -k ${c}.jwk -o ${c}.flat`],
      ];
      for (const [name, args] of steps) {
        lines.push(step(name, args));
        names.push(name);
      }
    });
    // RFC 7515 §7.2.1: with several keys, jose signs once per key, in order, as general JSON.
    writeFileSync(file('general.payload'), generalPayload);
    lines.push(step('general', `jws sig -I general.payload ${items.map((_, i) => `-k c${i}.jwk`).join(' ')} -o general.json`));
    names.push('general');
    assertSucceeded(batch(lines), names);

    const algs = new Set(read('algs.txt').split('\n'));
    const produced = new Map<string, Produced>();
    items.forEach((item, i) => {
      const c = `c${i}`;
      const privateJWK = json<JWK>(`${c}.jwk`);
      produced.set(item.case.id, {
        private: privateJWK,
        // An oct key's "public" part is empty: the verifier needs the secret itself.
        public: item.case.key.kty === 'oct' ? privateJWK : json<JWK>(`${c}.pub`),
        thumbprint: read(`${c}.thp`),
        foreignThumbprint: read(`${c}.fthp`),
        compact: read(`${c}.compact`),
        foreignCompact: read(`${c}.fcompact`),
        flattened: json<FlattenedJWS>(`${c}.flat`),
      });
    });
    return { supported: probe.filter((c) => algs.has(c.alg)).map((c) => c.id), produced, general: json<GeneralJWS>('general.json') };
  },
  async verify(items) {
    const lines = items.map((item, i) => {
      writeFileSync(file(`v${i}.jws`), typeof item.token === 'string' ? item.token : JSON.stringify(item.token));
      writeFileSync(file(`v${i}.jwk`), JSON.stringify(item.key));
      return step(`v${i}`, `jws ver -i v${i}.jws -k v${i}.jwk -O v${i}.out`);
    });
    const status = batch(lines);
    const out = new Map<string, Verdict>();
    items.forEach((item, i) => {
      const code = status.get(`v${i}`);
      out.set(
        item.id,
        code === 0
          ? { ok: true, payload: encodeBase64URL(readFileSync(file(`v${i}.out`))) }
          : { ok: false, error: `exit ${code}: ${read(`v${i}.err`)}` },
      );
    });
    return out;
  },
});
