import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand, RecentProject } from '../preload/api';

/**
 * The application menu: File (New, Open, Open Recent, Save, Save As, Quit), Edit, View, Help
 * (About). Commands go to the renderer as `menu` events; it owns the draft.
 */
export function buildMenuTemplate(
  send: (command: MenuCommand) => void,
  recent: RecentProject[],
  isMac: boolean,
): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'New', accelerator: 'CmdOrCtrl+N', click: () => send({ command: 'new' }) },
      { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => send({ command: 'open' }) },
      {
        label: 'Open Recent',
        submenu:
          recent.length > 0
            ? recent.map((r) => ({
                label: `${r.name} — ${r.path}`,
                click: () => send({ command: 'openRecent', path: r.path }),
              }))
            : [{ label: 'No recent projects', enabled: false }],
      },
      { type: 'separator' },
      { label: 'Save', accelerator: 'CmdOrCtrl+S', click: () => send({ command: 'save' }) },
      {
        label: 'Save As…',
        accelerator: 'Shift+CmdOrCtrl+S',
        click: () => send({ command: 'saveAs' }),
      },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  return [
    ...(isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    file,
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      role: 'help',
      submenu: [{ label: 'About Training Set Maker', click: () => send({ command: 'about' }) }],
    },
  ];
}

export function setupMenu(send: (command: MenuCommand) => void, recent: RecentProject[]): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(buildMenuTemplate(send, recent, process.platform === 'darwin')),
  );
}
