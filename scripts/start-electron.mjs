/* global console, process */
// `npm start`: launches the Electron app on dist/main.js when Electron's binary is installed;
// otherwise explains how to get it, or how to use the same app in a browser (`npm run web`).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');
const pathFile = join(electronDir, 'path.txt');

function electronBinary() {
  if (!existsSync(pathFile)) return null;
  const rel = readFileSync(pathFile, 'utf8').trim();
  const binary = join(electronDir, 'dist', rel);
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
if (!binary) {
  console.error(`Electron's binary is not installed here (node_modules/electron/dist is missing;
the download is skipped on install because GitHub may be unreachable).

  To download it:        node node_modules/electron/install.js   (needs access to github.com)
  Then start again:      npm start

  Or use the same app in your browser, no download needed:
                         npm run web
  It prints an address on 127.0.0.1 with a one-time token and opens it when it can.`);
  process.exit(1);
}

const child = spawn(binary, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
