import type { Command } from './command';
import { UserError } from '../errors';
import { parseDecimal } from './args';
import { openDustMap } from '../photometry/dust-maps';
import { SF11_SCALE } from '../photometry/extinction';
import { countEbvValues, ebvValuesWarning, emptyEbvCounts } from '../photometry/ebv-values';

const USAGE = `Usage: tsm ebv --map <sfd|csfd|planck|sfd-lowres|FILE> [options] RA DEC [RA DEC ...]

Prints E(B-V) in mag at each ICRS position (degrees), one per line.

Options:
  --map NAME|FILE    sfd (SFD_dust_4096_ngp.fits + _sgp.fits), csfd (csfd_ebv.fits),
                     planck (HFI_CompMap_ThermalDustModel_2048_R1.20.fits), sfd-lowres (the
                     embedded NSIDE-64 SFD map, for demos), or the path of a FITS map
                     (an SFD hemisphere file or any HEALPix map, RING or NESTED)
  --dust-dir DIR     folder holding the map files (default: $TSM_DUST_DIR)
  --nearest          nearest pixel instead of bilinear interpolation (csfd and planck
                     are read at the nearest pixel anyway, as dustmaps reads them)
  --column NAME      HEALPix column to read (default EBV, T, I or the first column)
  --sf11             multiply by 0.86 (Schlafly & Finkbeiner 2011 recalibration)

The full SFD files come from Harvard Dataverse doi:10.7910/DVN/EWCNL5.`;

/** NaN or infinity as words, or a decimal number beyond a double's range (1e999). */
const NOT_FINITE = /^[+-]?(nan|inf|infinity)$/i;
const DECIMAL_FORM = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const isNotFinite = (word: string) =>
  NOT_FINITE.test(word) || (DECIMAL_FORM.test(word) && !Number.isFinite(Number(word)));

function parseArgs(argv: string[]) {
  const opts = {
    map: '',
    dir: process.env.TSM_DUST_DIR ?? null,
    nearest: false,
    column: undefined as string | undefined,
    scale: 1,
    coords: [] as number[],
  };
  // after a lone '--' (end of options, as the other commands take it) every word is a number
  let optionsEnded = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UserError(`${a} needs a value. See 'tsm ebv --help'.`);
      return v;
    };
    // '1e999' was 'not in decimal notation', '-inf' an unknown option
    if (isNotFinite(a)) {
      throw new UserError(
        `'${a}' is not a finite number: RA and Dec are positions in degrees (a NaN or infinite one has no E(B-V)).`,
      );
    }
    if (optionsEnded || /^[+-]?\d|^[+-]?\./.test(a)) {
      const x = parseDecimal(a);
      if (x === null)
        throw new UserError(
          `'${a}' is not a number in decimal notation (RA and Dec in degrees, such as 150.1 or -2.5e1).`,
        );
      opts.coords.push(x);
    } else if (a === '--') optionsEnded = true;
    else if (a === '--map') opts.map = value();
    else if (a === '--dust-dir') opts.dir = value();
    else if (a === '--column') opts.column = value();
    else if (a === '--nearest') opts.nearest = true;
    else if (a === '--sf11') opts.scale = SF11_SCALE;
    else {
      throw new UserError(
        a.startsWith('-')
          ? `unknown option '${a}'. See 'tsm ebv --help'.`
          : `'${a}' is not a number: give positions as RA DEC pairs in degrees. See 'tsm ebv --help'.`,
      );
    }
  }
  if (!opts.map)
    throw new UserError(`--map is required (sfd, csfd, planck, sfd-lowres or a FITS file).`);
  if (opts.coords.length === 0 || opts.coords.length % 2 !== 0) {
    throw new UserError(
      `give positions as RA DEC pairs in degrees (got ${opts.coords.length} number${opts.coords.length === 1 ? '' : 's'}).`,
    );
  }
  for (let k = 1; k < opts.coords.length; k += 2) {
    if (Math.abs(opts.coords[k]) > 90) {
      throw new UserError(`Dec ${opts.coords[k]} is outside [-90, 90] (position ${(k + 1) / 2}).`);
    }
  }
  return opts;
}

export const ebvCommand: Command = {
  name: 'ebv',
  summary: 'E(B-V) from a dust map at RA/Dec positions',
  usage: USAGE,
  async run(argv, io) {
    const opts = parseArgs(argv);
    const map = await openDustMap(opts.map, {
      folder: opts.dir,
      ...(opts.nearest ? { interpolation: 'nearest' as const } : {}),
      column: opts.column,
      folderHint: '--dust-dir DIR, or the environment variable TSM_DUST_DIR',
    });
    const ra = opts.coords.filter((_, k) => k % 2 === 0);
    const dec = opts.coords.filter((_, k) => k % 2 === 1);
    const ebv = await map.ebv(ra, dec);
    await map.close?.();
    // every digit of the double (shortest round trip): six decimals could not be checked
    // against a map's expected values to 1e-7
    for (const v of ebv) io.out(Number.isNaN(v) ? 'NaN' : String(v * opts.scale));
    // a map of NaN or negative values (another quantity, a wrong --column) said nothing
    const warning = ebvValuesWarning(map.info, countEbvValues(emptyEbvCounts(), ebv), 'positions');
    if (warning) io.err(`tsm ebv: warning: ${warning}`);
    return 0;
  },
};
