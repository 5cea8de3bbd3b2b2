import { closeSync, ftruncateSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDustMap } from '../../../compute/photometry/dust-maps';
import { tempDir } from '../../helpers/temp-dir';

/**
 * Full-size (4096²) SFD hemisphere files, written sparse with BITPIX -64, holding the linear
 * function v(x, y) = x + 10000·y around the test points only. Bilinear interpolation reproduces
 * a linear function exactly, so the map value gives back the projected pixel (x, y) of
 * dust-photometry.md §1.3, and the hemisphere routing and edge clamping become visible.
 */
const N = 4096;
const value = (x: number, y: number) => x + 10000 * y;
let dir: string;

function card(key: string, v: string | number): string {
  return `${key.padEnd(8)}= ${String(v).padStart(20)}`.padEnd(80);
}

function writeHemisphere(path: string, nsgp: number, cells: [number, number][]) {
  const header = [
    card('SIMPLE', 'T'),
    card('BITPIX', -64),
    card('NAXIS', 2),
    card('NAXIS1', N),
    card('NAXIS2', N),
    card('CRPIX1', 2048.5),
    card('CRPIX2', 2048.5),
    card('LAM_NSGP', nsgp),
    card('LAM_SCAL', 2048),
    'END'.padEnd(80),
  ]
    .join('')
    .padEnd(2880);
  const fd = openSync(path, 'w');
  writeSync(fd, Buffer.from(header, 'latin1'), 0, 2880, 0);
  ftruncateSync(fd, 2880 + Math.ceil((N * N * 8) / 2880) * 2880);
  const buf = Buffer.alloc(8);
  for (const [cx, cy] of cells) {
    for (let y = Math.max(0, cy - 1); y <= Math.min(N - 1, cy + 2); y++) {
      for (let x = Math.max(0, cx - 1); x <= Math.min(N - 1, cx + 2); x++) {
        buf.writeDoubleBE(value(x, y));
        writeSync(fd, buf, 0, 8, 2880 + 8 * (y * N + x));
      }
    }
  }
  closeSync(fd);
}

/** Galactic (l, b) degrees → ICRS degrees with the transpose of M·B (dust-photometry.md §3). */
function galToIcrs(lDeg: number, bDeg: number): [number, number] {
  const m = [
    [-0.0548756577125917, -0.8734370519556163, -0.4838350736167155],
    [0.4941094371927275, -0.4448297212232953, 0.7469821839866675],
    [-0.8676661375596588, -0.1980763372730006, 0.4559838136873017],
  ];
  const d = Math.PI / 180;
  const g = [
    Math.cos(bDeg * d) * Math.cos(lDeg * d),
    Math.cos(bDeg * d) * Math.sin(lDeg * d),
    Math.sin(bDeg * d),
  ];
  const v = [0, 1, 2].map((j) => m[0][j] * g[0] + m[1][j] * g[1] + m[2][j] * g[2]);
  return [(((Math.atan2(v[1], v[0]) / d) % 360) + 360) % 360, Math.asin(v[2]) / d];
}

// (l, b) → expected (x, y), from the table in dust-photometry.md §1.3
const NORTH: [number, number, number, number][] = [
  [45, 45, 2831.235669, 1263.764331],
  [305, 37, 2788.748263, 3106.11223],
  [0, 90, 2047.5, 2047.5],
];
const SOUTH: [number, number, number, number][] = [
  [90, -30, 2047.5, 3495.654688],
  [0, -90, 2047.5, 2047.5],
];

beforeAll(() => {
  dir = tempDir('tsm-sfd-').dir;
  const cells = (rows: [number, number, number, number][]) =>
    rows.map(([, , x, y]) => [Math.floor(x), Math.floor(y)] as [number, number]);
  writeHemisphere(join(dir, 'SFD_dust_4096_ngp.fits'), 1, [
    ...cells(NORTH),
    [4095, 2047],
    [0, 2047],
  ]);
  writeHemisphere(join(dir, 'SFD_dust_4096_sgp.fits'), -1, cells(SOUTH));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("openDustMap('sfd') on full-size sparse hemisphere files", () => {
  it('projects (l, b) to the documented pixel in the right hemisphere (bilinear of a linear field)', async () => {
    const map = await openDustMap('sfd', { folder: dir });
    expect(map.info.files.map((f) => f.split('/').pop())).toEqual([
      'SFD_dust_4096_ngp.fits',
      'SFD_dust_4096_sgp.fits',
    ]);
    for (const [l, b, x, y] of [...NORTH, ...SOUTH]) {
      const [ra, dec] = galToIcrs(l, b);
      const [v] = await map.ebv([ra], [dec]);
      // the table gives x, y to 1e-6 px: |dv| <= |dx| + 10000 |dy| <= 0.011
      expect(Math.abs(v - value(x, y))).toBeLessThan(0.011);
    }
  });

  it('clamps to the edge pixel at b = 0 (x = 4095.5 and x = -0.5)', async () => {
    const map = await openDustMap('sfd', { folder: dir });
    const [ra0, dec0] = galToIcrs(0, 1e-9);
    const [ra180, dec180] = galToIcrs(180, 1e-9);
    const [a, b] = await map.ebv([ra0, ra180], [dec0, dec180]);
    expect(a).toBeCloseTo(value(4095, 2047.5), 3);
    expect(b).toBeCloseTo(value(0, 2047.5), 3);
  });

  it('reads a few blocks, not the 128 MiB files', async () => {
    const map = await openDustMap('sfd', { folder: dir, interpolation: 'nearest' });
    const [ra, dec] = galToIcrs(45, 45);
    const [v] = await map.ebv([ra], [dec]);
    expect(v).toBe(value(2831, 1264));
    expect(process.memoryUsage().rss).toBeLessThan(2 ** 30);
  });
});
