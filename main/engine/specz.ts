import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CANONICAL_NAMES, SPECZ_ROLES, type SpeczMapping } from '../../compute/io/specz-columns';
import { registerSpeczCatalog, validateSpeczCatalog } from '../../compute/io/specz-register';
import { previewSpecz, validationSummary } from '../../compute/io/specz-preview';
import type { SpeczValidationReport } from '../../compute/io/specz-validate';
import { parseJsonText } from '../../compute/io/json-text';
import type { ColumnMapping, SpeczPreview, ValidationReport } from '../../preload/api';
import type { CatalogEngine, StoredRegistration } from '../catalog-registry';
import type { HttpOptionsInput } from '../../compute/hats/http-options';

/** Rows shown in the registration preview. */
export const PREVIEW_ROWS = 20;

/** The mapping as compute/io takes it: '' (not chosen) and null both mean "no column". */
function toEngineMapping(mapping: ColumnMapping): SpeczMapping {
  return Object.fromEntries(SPECZ_ROLES.map((role) => [role, mapping[role] || null]));
}

function fromEngineMapping(mapping: SpeczMapping): ColumnMapping {
  const get = (role: (typeof SPECZ_ROLES)[number]) => mapping[role] ?? null;
  return {
    ra: get('ra') ?? '',
    dec: get('dec') ?? '',
    z: get('z') ?? '',
    id: get('id'),
    zErr: get('zErr'),
    zFlag: get('zFlag'),
    survey: get('survey'),
    instrumentType: get('instrumentType'),
  };
}

/** compute/io's validation report in the contract's shape (compute/io/specz-preview.ts), with the units. */
export function toValidationReport(r: SpeczValidationReport): ValidationReport {
  return { ...validationSummary(r), angleUnits: r.angleUnits };
}

/** The registered catalog's column per role: canonical names for the roles that were mapped. */
function registeredColumns(mapping: SpeczMapping): ColumnMapping {
  const pick = (role: (typeof SPECZ_ROLES)[number]) =>
    mapping[role] ? CANONICAL_NAMES[role] : null;
  return {
    ra: CANONICAL_NAMES.ra,
    dec: CANONICAL_NAMES.dec,
    z: CANONICAL_NAMES.z,
    id: pick('id'),
    zErr: pick('zErr'),
    zFlag: pick('zFlag'),
    survey: pick('survey'),
    instrumentType: pick('instrumentType'),
  };
}

/** How a file is read for validation and registration (tests take small batches). */
export interface SpeczReading {
  /** Rows per batch (default compute/io's 65 536): cancel and progress come between batches. */
  batchRows?: number;
  /** Least time between two progress events, in ms (default compute/io's 200). */
  progressIntervalMs?: number;
}

/**
 * Spec-z preview, validation and registration through compute/io (specz-source, -validate,
 * -register); an http(s) catalog is read with the app's remote settings (cache size and stall
 * timeout: run-engine.ts remoteSettings).
 */
export function createSpeczEngine(
  remote: () => Promise<HttpOptionsInput>,
  reading: SpeczReading = {},
): Pick<CatalogEngine, 'previewSpecz' | 'validateSpecz' | 'registerSpecz' | 'readRegistration'> {
  return {
    async previewSpecz(path: string, signal?: AbortSignal): Promise<SpeczPreview> {
      const preview = await previewSpecz(path, {
        rowCount: PREVIEW_ROWS,
        remote: await remote(),
        ...(signal ? { signal } : {}),
      });
      const missing = (['ra', 'dec', 'z'] as const).filter((role) => !preview.mapping[role]);
      return {
        ...preview,
        mapping: fromEngineMapping(preview.mapping),
        mappingNote:
          missing.length > 0
            ? `No column of ${path} looks like ${missing.join(', ')} (usual names such as ra/RAJ2000, dec/DEJ2000, z/redshift): choose ${missing.length > 1 ? 'them' : 'it'} below.`
            : undefined,
      };
    },
    async validateSpecz(path, mapping, angleUnits, control = {}) {
      return toValidationReport(
        await validateSpeczCatalog(path, {
          mapping: toEngineMapping(mapping),
          angleUnits,
          remote: await remote(),
          ...reading,
          signal: control.signal,
          onProgress: control.onProgress,
        }),
      );
    },
    async registerSpecz(request) {
      const engineMapping = toEngineMapping(request.mapping);
      const { catalogDir, report } = await registerSpeczCatalog(request.path, {
        dataDir: request.dataDir,
        name: request.name,
        mapping: engineMapping,
        angleUnits: request.angleUnits,
        skipInvalidRows: request.skipInvalidRows,
        signal: request.signal,
        remote: await remote(),
        ...reading,
        onProgress: request.onProgress,
      });
      return {
        id: basename(catalogDir),
        location: catalogDir,
        report: toValidationReport(report),
        columns: registeredColumns(report.mapping),
      };
    },
    readRegistration,
  };
}

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isText = (v: unknown): v is string => typeof v === 'string';

/**
 * The `registration.json` that compute/io/specz-register.ts wrote beside a stored spec-z catalog
 * (by `tsm register` or the app), read back as the catalogs page describes a registration; null
 * when the folder has none (not a registered catalog). Throws naming the file and what is wrong
 * when it is not what register writes.
 */
export async function readRegistration(location: string): Promise<StoredRegistration | null> {
  const path = join(location, 'registration.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`${path} cannot be read (${(err as Error).message})`, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = parseJsonText(text);
  } catch (err) {
    throw new Error(`${path} is not valid JSON (${(err as Error).message})`, { cause: err });
  }
  const doc = (parsed ?? {}) as { registeredAt?: unknown; report?: Record<string, unknown> };
  const report = doc.report;
  const mapping = report?.mapping as Record<string, unknown> | undefined;
  const wrong = !isText(doc.registeredAt)
    ? 'registeredAt'
    : typeof report !== 'object' || report === null
      ? 'report'
      : !isText(report.file)
        ? 'report.file'
        : report.rowLabel !== 'line' && report.rowLabel !== 'row'
          ? 'report.rowLabel'
          : !(['rowsRead', 'rowsAccepted', 'rowsRejected'] as const).every((k) =>
                isCount(report[k]),
              )
            ? 'report.rowsRead/rowsAccepted/rowsRejected'
            : !Array.isArray(report.reasons) ||
                !(report.reasons as { reason?: unknown; count?: unknown; first?: unknown }[]).every(
                  (x) => isText(x?.reason) && isCount(x?.count) && Array.isArray(x?.first),
                ) ||
                (report.notes !== undefined &&
                  !(Array.isArray(report.notes) && report.notes.every(isText)))
              ? 'report.reasons'
              : typeof mapping !== 'object' ||
                  mapping === null ||
                  !(['ra', 'dec', 'z'] as const).every((r) => isText(mapping[r])) ||
                  !SPECZ_ROLES.every(
                    (r) => mapping[r] === undefined || mapping[r] === null || isText(mapping[r]),
                  )
                ? 'report.mapping'
                : undefined;
  if (wrong !== undefined) {
    throw new Error(
      `${path} is not a registration tsm register writes (${wrong} is missing or of the wrong type)`,
    );
  }
  const r = report as unknown as SpeczValidationReport;
  return {
    registeredAt: doc.registeredAt as string,
    sourcePath: r.file,
    report: toValidationReport(r),
    sourceMapping: fromEngineMapping(r.mapping),
    columns: registeredColumns(r.mapping),
  };
}
