import { execFileSync } from 'node:child_process';

/** Tests that start worker threads or the web bridge need the bundles in dist/. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
