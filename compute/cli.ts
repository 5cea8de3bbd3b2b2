// Entry point of the `tsm` command (bundled to dist/cli.js, package.json "bin").
import { main } from './cli/main';

// A reader that stops early (`tsm ebv ... | head`) closes the pipe: the rest of the printing is
// dropped and the command finishes its work (a run still writes its whole output), instead of
// the process dying on an unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
