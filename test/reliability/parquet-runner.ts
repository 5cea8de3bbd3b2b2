/**
 * Child-process runner of the Parquet and HDF5 fuzz cases (bundled by fuzz.test.ts): reads each
 * file given on the command line with the spec-z readers (validateSpeczCatalog; Parquet also
 * with the run's readUserTable) and prints one JSON line per file, so a reader that kills its
 * process (a WebAssembly abort: parquet-wasm did, h5wasm might) costs one case, not the test run.
 */
import { readUserTable } from '../../compute/crossmatch/user-file';
import { UserError } from '../../compute/errors';
import { validateSpeczCatalog } from '../../compute/io/specz-register';

for (const path of process.argv.slice(2)) {
  let outcome: string;
  const timer = setTimeout(() => {
    process.stdout.write(`${JSON.stringify({ path, outcome: 'bad', why: 'HANG (10 s)' })}\n`);
    process.exit(3);
  }, 10_000);
  try {
    if (path.endsWith('.parquet')) await readUserTable(path);
    await validateSpeczCatalog(path);
    outcome = 'ok';
  } catch (err) {
    const e = err as Error;
    outcome = e instanceof UserError && e.message.includes(path) ? 'clean' : 'bad';
    if (outcome === 'bad') {
      process.stdout.write(
        `${JSON.stringify({ path, outcome, why: `${e.name}: ${e.message}` })}\n`,
      );
      clearTimeout(timer);
      continue;
    }
  }
  clearTimeout(timer);
  process.stdout.write(`${JSON.stringify({ path, outcome })}\n`);
}
