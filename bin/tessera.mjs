#!/usr/bin/env node
// The `tessera` command: runs the built CLI (dist/esm/cli/main.js). Build first: npm run build.
let main;
try {
  ({ main } = await import('../dist/esm/cli/main.js'));
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
  process.stderr.write('tessera: ERR_NOT_BUILT: the library is not built yet; run `npm run build` in the tessera folder\n');
  process.exit(2);
}

// A reader that goes away (`tessera inspect t | head -1`) is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

process.exitCode = await main(process.argv.slice(2));
