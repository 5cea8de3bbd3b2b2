/**
 * `node dist/web.js [--port N] [--data-dir DIR] [--open]`: the app in a browser. Serves the
 * renderer and TsmApi on 127.0.0.1 only, behind a per-launch token carried in the printed URL.
 */
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createBackend } from './backend';
import { createEngine } from './engine';
import { startWebServer } from './web-server';
import { defaultSettings } from './default-settings';
import { errorMessage } from '../compute/errors';
import { openDataFolder } from '../compute/io/data-folder';

const USAGE = `Usage: node dist/web.js [--port N] [--data-dir DIR] [--open]
  --port N        port on 127.0.0.1 (default: a free one)
  --data-dir DIR  data folder (catalogs, runs, settings; default ~/.tsm-data)
  --open          open the address in the default browser (skipped when CI is set)`;

/** How long an opener may run before it counts as having opened the target, in ms. */
const OPENER_GRACE_MS = 3000;

/**
 * Opens a URL or folder with the desktop's opener (xdg-open, open, explorer). Resolves false when
 * there is none or it fails (exit code != 0, e.g. no display), true when it succeeded or is still
 * running after a grace period.
 */
export function openWithDesktop(target: string): Promise<boolean> {
  const command =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  return new Promise((done) => {
    try {
      const child = spawn(command, [target], { stdio: 'ignore', detached: true });
      const timer = setTimeout(() => {
        child.unref();
        done(true);
      }, OPENER_GRACE_MS);
      child.once('error', () => {
        clearTimeout(timer);
        done(false);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        done(code === 0);
      });
    } catch {
      done(false);
    }
  });
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        port: { type: 'string', default: '0' },
        'data-dir': { type: 'string' },
        open: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a whole number from 0 to 65535 (got ${args.port}).`);
    process.exit(2);
  }
  const dataDir = resolve(args['data-dir'] ?? join(homedir(), '.tsm-data'));
  let made: string | null;
  try {
    // a missing one is made (and said below); one holding other files is refused
    made = await openDataFolder(dataDir, '--data-dir');
  } catch (err) {
    console.error(errorMessage(err));
    process.exit(2);
  }
  const interactive = args.open && !process.env.CI;
  const backend = createBackend({
    configDir: dataDir,
    defaults: defaultSettings(dataDir),
    host: {
      info: {
        name: 'Training Set Maker',
        version: process.env.npm_package_version ?? '0.1.0',
        transport: 'web',
      },
      pickPath: async () => null,
      openFolder: async (path) => {
        if (interactive) await openWithDesktop(path);
      },
    },
    engine: createEngine(() => backend.settings.get()),
  });
  const staticDir = join(dirname(fileURLToPath(import.meta.url)), 'renderer');
  const server = await startWebServer({ backend, staticDir, port });
  const stop = async () => {
    await backend.runs.cancelAll();
    await server.close();
    process.exit(0);
  };
  // Installed before the address is printed, so a signal right after it is handled.
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  console.log(
    `Training Set Maker is running at\n  ${server.url}\nData folder: ${dataDir}\n${made ? `${made}\n` : ''}Press Ctrl-C to stop.`,
  );
  if (interactive && !(await openWithDesktop(server.url))) {
    console.log('Could not open a browser here; open the address above yourself.');
  }
}

void main();
