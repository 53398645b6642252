import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const t = await import('tessera');
const m = await import('./jwt-contenders.mjs');
const libs = { t, jose: await import('jose'), fastJwt: require('fast-jwt'), jsonwebtoken: require('jsonwebtoken') };
const alg = process.argv[2] ?? 'ES256';
const s = await m.jwtSetup(alg, libs);
const cs = m.jwtSignContenders(s, libs).filter((c) => c.mode === 'sync');
const n = 2000;
for (let pass = 0; pass < 4; pass++) {
  const out = [];
  for (const c of cs) {
    for (let i = 0; i < 200; i++) c.fn();
    const c0 = process.cpuUsage(); const w0 = performance.now();
    for (let i = 0; i < n; i++) c.fn();
    const cu = process.cpuUsage(c0); const w = performance.now() - w0;
    out.push(`${c.name} ${((cu.user + cu.system) / n).toFixed(1)}/${(w * 1000 / n).toFixed(1)}`);
  }
  console.log(out.join(' | '));
}
