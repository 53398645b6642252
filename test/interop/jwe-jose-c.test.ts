// JWE interop with the `jose` C tool (latchset/jose, Debian package "jose", /usr/bin/jose).
// This build has no RSA-OAEP (of any hash) and cannot make or use X25519/X448 keys, so it shares
// dir, AES-KW, AES-GCM-KW, ECDH-ES(+A*KW) over P-256/384/521 and PBES2 with tessera. The probe
// round-trips every case through jose itself, so a newer build fails loudly here.
//
// A PBES2 password is given to jose as a JWK file holding a JSON string (jose's `-p` reads a
// terminal). jose encrypts PBES2 with p2c = 32768 unless the header sets one: the templates set
// 10,000. All jose work of one direction runs from one generated sh script (one process start from
// node); every step's exit status comes back on stdout, its stderr in a file.
import { after } from 'node:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeBase64URL } from '../../src/core/base64url.ts';
import type { FlattenedJWE, GeneralJWE } from '../../src/index.ts';
import { JWE_SHARED, type JWEKeySpec } from './helpers/jwe-cases.ts';
import { jweInteropSuite, type JWEProduced, type JWEVerdict, type PeerKey } from './helpers/jwe-suite.ts';
import { PEERS, missingPeer, requireExecutable, run } from './helpers/peers.ts';

const { path: JOSE, install } = PEERS.joseC;
const P2C = 10_000;
const dir = mkdtempSync(join(tmpdir(), 'tessera-jose-c-jwe-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string): string => join(dir, name);
const read = (name: string): string => readFileSync(file(name), 'utf8').trim();
const json = <T>(name: string): T => JSON.parse(read(name)) as T;
const put = (name: string, value: unknown): void => writeFileSync(file(name), typeof value === 'string' && !name.endsWith('.json') ? value : JSON.stringify(value));

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

/** The protected header template of a case (PBES2 with an explicit p2c). */
function template(c: { alg: string; enc: string }): unknown {
  return { protected: { alg: c.alg, enc: c.enc, ...(c.alg.startsWith('PBES2') && { p2c: P2C }) } };
}

/** Steps that make `<prefix>.jwk` (and `<prefix>.pub`, what a sender gets) for a key spec; a password is written, not generated. */
function keySteps(prefix: string, spec: JWEKeySpec, pwd: string): [string, string][] {
  if (spec.kty === 'password') {
    put(`${prefix}.jwk.json`, pwd);
    return [];
  }
  const gen =
    spec.kty === 'oct' ? { kty: 'oct', bytes: spec.bits / 8 } : spec.kty === 'RSA' ? { kty: 'RSA', bits: spec.bits } : { kty: spec.kty, crv: spec.crv };
  put(`${prefix}.gen.json`, gen);
  const steps: [string, string][] = [[`${prefix}.gen`, `jwk gen -i ${prefix}.gen.json -o ${prefix}.jwk.json`]];
  if (spec.kty !== 'oct') steps.push([`${prefix}.pub`, `jwk pub -i ${prefix}.jwk.json -o ${prefix}.pub.json`]);
  return steps;
}

/**
 * jose binds a `dir` key to its `enc` (`"alg": "A128GCM"`, as RFC 7520 §5.6's key does) and refuses
 * one whose `alg` is `"dir"` ("Algorithm mismatch"); tessera accepts both and exports `"dir"`. The
 * key material is unchanged: only the binding is rewritten into jose's convention.
 */
function forJose(key: PeerKey, c: { alg: string; enc: string }): PeerKey {
  return typeof key === 'object' && c.alg === 'dir' && key.alg === 'dir' ? { ...key, alg: c.enc } : key;
}

/** What a sender encrypts to, for a key made by {@link keySteps}. */
const senderFile = (prefix: string, spec: JWEKeySpec): string => (spec.kty === 'oct' || spec.kty === 'password' ? `${prefix}.jwk.json` : `${prefix}.pub.json`);

jweInteropSuite({
  name: 'jose C tool (Debian "jose")',
  shared: JWE_SHARED.joseC,
  // jose exits 1 with nothing on stderr. NOTE: it has already written the unauthenticated
  // plaintext to its output when the tag check fails (it decrypts as a stream).
  rejection: /^exit 1:/,
  pbes2Count: P2C,
  async require() {
    requireExecutable(JOSE, 'the jose C tool', install);
    const r = run(JOSE, ['alg']);
    if (r.status !== 0) throw missingPeer('a working jose C tool', install, r.stderr || r.error?.message);
  },
  async produce(items, groups, probe) {
    const lines: string[] = [];
    const names: string[] = [];
    const add = (steps: [string, string][]): void => {
      for (const [name, args] of steps) {
        lines.push(step(name, args));
        names.push(name);
      }
    };
    // The probe: a fresh jose key per case, encrypted to and decrypted by jose itself. Its steps
    // may fail (that is the answer), so they are not in `names`.
    put('probe.txt', 'probe');
    const probeSteps = probe.map((c, j) => {
      const p = `p${j}`;
      put(`${p}.tpl.json`, template(c));
      const steps: [string, string][] = [
        ...keySteps(p, c.key, 'probe-password-0123456789'),
        [`${p}.enc`, `jwe enc -i ${p}.tpl.json -I probe.txt -k ${senderFile(p, c.key)} -c -o ${p}.jwe`],
        [`${p}.dec`, `jwe dec -i ${p}.jwe -k ${p}.jwk.json -O ${p}.out`],
      ];
      for (const [name, args] of steps) lines.push(step(name, args));
      return steps.map(([name]) => name);
    });
    items.forEach((item, i) => {
      const c = `c${i}`;
      put(`${c}.tpl.json`, template(item.case));
      put(`${c}.t.jwk.json`, forJose(item.encryptTo, item.case));
      put(`${c}.tt`, item.toTessera);
      put(`${c}.ts`, item.toSelf);
      add(keySteps(c, item.case.key, item.peerPassword ?? ''));
      add([
        [`${c}.compact`, `jwe enc -i ${c}.tpl.json -I ${c}.tt -k ${c}.t.jwk.json -c -o ${c}.compact`],
        [`${c}.flat`, `jwe enc -i ${c}.tpl.json -I ${c}.tt -k ${c}.t.jwk.json -o ${c}.flat.json`],
        [`${c}.self`, `jwe enc -i ${c}.tpl.json -I ${c}.ts -k ${senderFile(c, item.case.key)} -c -o ${c}.self`],
      ]);
    });
    // RFC 7516 §7.2.1: with several keys, jose writes one recipient per key, in order (with its -r template).
    groups.forEach((g, n) => {
      put(`g${n}.tpl.json`, { protected: { enc: g.enc } });
      put(`g${n}.txt`, g.plaintext);
      const args = g.ids.map((caseId, k) => {
        const i = items.findIndex((it) => it.case.id === caseId);
        const alg = (items[i] as (typeof items)[number]).case.alg;
        put(`g${n}.r${k}.json`, { header: { alg, ...(alg.startsWith('PBES2') && { p2c: P2C }) } });
        return `-k c${i}.t.jwk.json -r g${n}.r${k}.json`;
      });
      add([[`g${n}`, `jwe enc -i g${n}.tpl.json -I g${n}.txt ${args.join(' ')} -o g${n}.json`]]);
    });
    const status = batch(lines);
    assertSucceeded(status, names);

    const supported = probe
      .filter((_, j) => (probeSteps[j] as string[]).every((name) => status.get(name) === 0) && read(`p${j}.out`) === 'probe')
      .map((c) => c.id);
    const produced = new Map<string, JWEProduced>();
    items.forEach((item, i) => {
      const c = `c${i}`;
      produced.set(item.case.id, {
        private: json<PeerKey>(`${c}.jwk.json`),
        public: json<PeerKey>(senderFile(c, item.case.key)),
        compact: read(`${c}.compact`),
        flattened: json<FlattenedJWE>(`${c}.flat.json`),
        selfCompact: read(`${c}.self`),
      });
    });
    const general: Record<string, GeneralJWE> = {};
    groups.forEach((g, n) => {
      general[g.enc] = json<GeneralJWE>(`g${n}.json`);
    });
    return { supported, produced, general };
  },
  async decrypt(items) {
    const lines = items.map((item, i) => {
      writeFileSync(file(`v${i}.jwe`), typeof item.token === 'string' ? item.token : JSON.stringify(item.token));
      put(`v${i}.jwk.json`, forJose(item.key, item));
      return step(`v${i}`, `jwe dec -i v${i}.jwe -k v${i}.jwk.json -O v${i}.out`);
    });
    const status = batch(lines);
    const out = new Map<string, JWEVerdict>();
    items.forEach((item, i) => {
      const code = status.get(`v${i}`);
      out.set(
        item.id,
        code === 0
          ? { ok: true, plaintext: encodeBase64URL(readFileSync(file(`v${i}.out`))) }
          : { ok: false, error: `exit ${code}: ${read(`v${i}.err`)}` },
      );
    });
    return out;
  },
});
