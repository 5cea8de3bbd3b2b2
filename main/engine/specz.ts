import { basename } from 'node:path';
import { UserError } from '../../compute/errors';
import { convertTable, inferTableTypes } from '../../compute/io/text-types';
import {
  CANONICAL_NAMES,
  SPECZ_ROLES,
  resolveMapping,
  type SpeczMapping,
} from '../../compute/io/specz-columns';
import { registerSpeczCatalog, validateSpeczCatalog } from '../../compute/io/specz-register';
import { openSpeczSource } from '../../compute/io/specz-source';
import type { SpeczValidationReport } from '../../compute/io/specz-validate';
import type { ColumnMapping, SpeczPreview, ValidationReport } from '../../preload/api';
import type { CatalogEngine } from '../catalog-registry';
import { toCell } from './results';

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

/**
 * compute/io's validation report in the contract's shape: one issue per rejection reason, in the
 * engine's words with the count and the first offending lines (as `tsm register` prints them).
 */
export function toValidationReport(r: SpeczValidationReport): ValidationReport {
  return {
    ok: r.rowsAccepted > 0 && r.rowsRejected === 0,
    rowsRead: r.rowsRead,
    rowsValid: r.rowsAccepted,
    angleUnits: r.angleUnits,
    issues: [
      ...(r.rowsAccepted === 0 && r.rowsRead === 0
        ? [{ severity: 'error' as const, message: `${r.file}: the file has no rows` }]
        : []),
      ...r.reasons.map((reason) => {
        const more = reason.count > reason.first.length ? ', ...' : '';
        return {
          severity: 'error' as const,
          message: `${reason.reason} (${r.rowLabel}s ${reason.first.join(', ')}${more})`,
          count: reason.count,
        };
      }),
    ],
  };
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

/** Spec-z preview, validation and registration through compute/io (specz-source, -validate, -register). */
export const speczEngine: Pick<CatalogEngine, 'previewSpecz' | 'validateSpecz' | 'registerSpecz'> =
  {
    async previewSpecz(path: string): Promise<SpeczPreview> {
      const source = await openSpeczSource(path);
      const batches = source.batches();
      const first = await batches.next();
      await batches.return(undefined);
      let table = first.done ? null : first.value.table.slice(0, PREVIEW_ROWS);
      if (table && source.textColumns) table = convertTable(table, inferTableTypes(table));
      const columns = table
        ? table.schema.fields.map((f) => ({ name: f.name, type: String(f.type) }))
        : source.columns.map((name) => ({ name, type: '?' }));
      const rows = table
        ? Array.from({ length: table.numRows }, (_, i) => {
            const row = (table!.get(i)?.toJSON() ?? {}) as Record<string, unknown>;
            return columns.map((c) => toCell(row[c.name]));
          })
        : [];
      let mapping: ColumnMapping;
      let mappingNote: string | undefined;
      try {
        mapping = fromEngineMapping(resolveMapping(source.columns, {}, path));
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        mapping = fromEngineMapping({});
        mappingNote = err.message;
      }
      return { path, format: source.format, columns, rows, mapping, mappingNote };
    },
    async validateSpecz(path, mapping) {
      return toValidationReport(
        await validateSpeczCatalog(path, { mapping: toEngineMapping(mapping) }),
      );
    },
    async registerSpecz(request) {
      const engineMapping = toEngineMapping(request.mapping);
      const { catalogDir, report } = await registerSpeczCatalog(request.path, {
        dataDir: request.dataDir,
        name: request.name,
        mapping: engineMapping,
        skipInvalidRows: request.skipInvalidRows,
      });
      return {
        id: basename(catalogDir),
        location: catalogDir,
        report: toValidationReport(report),
        columns: registeredColumns(report.mapping),
      };
    },
  };
