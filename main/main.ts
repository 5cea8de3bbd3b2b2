/** Electron entry (dist/main.js): only wires the shell; the services live in plain modules. */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startElectronApp } from './electron-app';

startElectronApp(dirname(fileURLToPath(import.meta.url)));
