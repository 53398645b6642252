#!/usr/bin/env node
// The `tessera` command: runs the built CLI (dist/esm/cli/main.js). Build first: npm run build.
import { main } from '../dist/esm/cli/main.js';

// A reader that goes away (`tessera inspect t | head -1`) is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

process.exitCode = await main(process.argv.slice(2));
