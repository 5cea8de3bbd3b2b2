// Entry point of the `tsm` command (bundled to dist/cli.js, package.json "bin").
import { main } from './cli/main';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
