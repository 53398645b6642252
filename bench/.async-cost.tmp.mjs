import * as t from 'tessera';
import * as jose from 'jose';
import { jweSetup } from './contenders.mjs';
import { PAYLOAD } from './fixtures.mjs';
const name = process.argv[2] ?? 'A256KW+A256CBC-HS512';
const s = await jweSetup(name, { t, jose });
async function time(label, fn, isAsync, n = 3000) {
  let best = Infinity;
  for (let r = 0; r < 7; r++) {
    const c0 = process.cpuUsage();
    if (isAsync) for (let i = 0; i < n; i++) await fn();
    else for (let i = 0; i < n; i++) fn();
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / n);
  }
  console.log(label.padEnd(34), best.toFixed(2), 'µs CPU');
}
for (let k = 0; k < 2; k++) {
  await time('raw decrypt', () => s.rawDecrypt(s.token), false);
  await time('decryptSync (factory)', () => s.decrypter.decryptSync(s.token), false);
  await time('decrypt (factory async)', () => s.decrypter.decrypt(s.token), true);
  await time('decryptJWE (async)', () => t.decryptJWE(s.token, s.tDecryptKey, s.decryptOptions), true);
  await time('raw encrypt', () => s.rawEncrypt(), false);
  await time('encryptSync (factory)', () => s.encrypter.encryptSync(PAYLOAD), false);
  await time('encrypt (factory async)', () => s.encrypter.encrypt(PAYLOAD), true);
  await time('encryptJWE (async)', () => t.encryptJWE(PAYLOAD, s.tEncryptKey, s.encryptOptions), true);
}
