import { z } from 'zod';
import { EXPORT_TARGETS, type ExportTarget } from '../compute/export/types';
import { genericChoicesSchema } from '../compute/photometry/detect-profile';
import { MAX_WORKERS } from '../compute/pipeline/worker-limit';
import { MAX_CACHE_MB, MAX_STALL_SECONDS, SPECZ_ROLES, type TsmMethod } from '../preload/api';
import { isProjectFilePath } from './project-files';

/** Ids of runs and catalogs become folder names: no separators, no `..`. */
const id = z
  .string()
  .min(1)
  .max(200)
  .regex(
    /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/,
    'must be an id made of letters, digits, ".", "_" or "-"',
  );
const path = z.string().trim().min(1, 'must be a path').max(4096);
const column = z.string().trim().min(1).max(500);

const mapping = z.strictObject(
  Object.fromEntries(
    SPECZ_ROLES.map((role) => [
      role,
      role === 'ra' || role === 'dec' || role === 'z' ? column : column.nullable(),
    ]),
  ) as Record<(typeof SPECZ_ROLES)[number], typeof column>,
);

/**
 * A project as sent by the wizard. Drafts may be incomplete, so only the shape "a versioned
 * object" is checked here; starting or saving a run validates it fully with the engine's schema
 * (compute/pipeline/project-schema.ts), whose messages name the field.
 */
const project = z.looseObject({ version: z.number().int() });

/** The project file a draft belongs to: Save writes there without asking. */
const projectFile = path.refine(
  isProjectFilePath,
  'must be the absolute path of a project file (ending in .tsm.json)',
);

const settingsPatch = z.strictObject({
  dataDir: path.optional(),
  dustMapDir: z.string().max(4096).optional(),
  workers: z.number().int().min(1).max(MAX_WORKERS).nullable().optional(),
  cacheSizeMb: z.number().int().min(0).max(MAX_CACHE_MB).optional(),
  stallSeconds: z.number().positive().max(MAX_STALL_SECONDS).nullable().optional(),
});

const angleUnits = z.enum(['deg', 'rad', 'sexagesimal']);

/** The zod schema of each method's argument list: every payload from the renderer passes here. */
export const ARG_SCHEMAS: Record<TsmMethod, z.ZodType<unknown[]>> = {
  getAppInfo: z.tuple([]),
  getSettings: z.tuple([]),
  updateSettings: z.tuple([settingsPatch]),
  pickPath: z.tuple([
    z.enum(['speczFile', 'projectFile', 'catalogFolder', 'saveProject', 'exportFolder']),
  ]),
  uploadFile: z.tuple([
    z
      .string()
      .min(1)
      .max(255)
      .regex(/^[^/\\]+$/, 'must be a file name without folders'),
    z.instanceof(Uint8Array),
  ]),
  listCatalogs: z.tuple([]),
  getCatalog: z.tuple([id]),
  previewSpecz: z.tuple([path, id.optional()]),
  validateSpecz: z.tuple([
    z.strictObject({ path, mapping, angleUnits: angleUnits.optional(), requestId: id.optional() }),
  ]),
  registerSpecz: z.tuple([
    z.strictObject({
      path,
      mapping,
      angleUnits: angleUnits.optional(),
      name: z.string().trim().min(1, 'Give the catalog a name.').max(200),
      skipInvalidRows: z.boolean().optional(),
      requestId: id.optional(),
    }),
  ]),
  addPhotometric: z.tuple([
    z.strictObject({
      location: path,
      name: z.string().max(200).optional(),
      requestId: id.optional(),
    }),
  ]),
  cancelCatalogRequest: z.tuple([id]),
  deleteCatalog: z.tuple([id]),
  setGenericColumns: z.tuple([id, genericChoicesSchema]),
  newProject: z.tuple([]),
  validateProject: z.tuple([project]),
  openProject: z.tuple([path]),
  saveProject: z.tuple([path, project]),
  listRecentProjects: z.tuple([]),
  saveDraft: z.tuple([project, projectFile.nullable(), z.string().max(100).nullable().optional()]),
  loadDraft: z.tuple([]),
  exportProject: z.tuple([
    project,
    z.enum(EXPORT_TARGETS as [ExportTarget, ...ExportTarget[]]),
    path,
  ]),
  startRun: z.tuple([project]),
  cancelRun: z.tuple([id]),
  listRuns: z.tuple([]),
  getRunLog: z.tuple([id]),
  getRunResults: z.tuple([id]),
  getRunQa: z.tuple([id, id.optional()]),
  cancelRunQa: z.tuple([id]),
  getTablePage: z.tuple([id, z.number().int().min(0), z.number().int().min(1).max(1000)]),
  openOutputFolder: z.tuple([id]),
};
