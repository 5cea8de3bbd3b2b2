import type {
  AngleUnitsChoice,
  CatalogSummary,
  ColumnMapping,
  SpeczPreview,
  SpeczReadProgress,
  SpeczRole,
  ValidationReport,
} from '../../preload/api';
import { messageOf, type SliceCreator } from './types';

export type RegistrationStep = 'pick' | 'map' | 'report';

/** The state of the "register a redshift catalog" flow: pick -> map columns -> report -> confirm. */
export interface Registration {
  step: RegistrationStep;
  path: string;
  name: string;
  preview: SpeczPreview | null;
  mapping: ColumnMapping | null;
  /** How ra/dec are written; '' = told from the values. */
  angleUnits: AngleUnitsChoice | '';
  report: ValidationReport | null;
  busy: boolean;
  error: string | null;
  /** The id of the previewSpecz, validateSpecz or registerSpecz call in progress, which Cancel stops. */
  requestId: string | null;
  /** The call in progress is a preview (Cancel preview stops it and keeps the form). */
  previewing: boolean;
  /** What happened that is not an error (a preview cancelled); cleared by the next action. */
  note: string | null;
  /** How far that call read the file (its catalogProgress events); null before the first. */
  progress: SpeczReadProgress | null;
}

export interface PhotometricForm {
  location: string;
  name: string;
  busy: boolean;
  error: string | null;
  /** The id of the addPhotometric call in progress, which Cancel stops. */
  requestId: string | null;
}

export interface CatalogsSlice {
  catalogs: CatalogSummary[];
  catalogsError: string | null;
  selectedCatalogId: string | null;
  registration: Registration | null;
  photometricForm: PhotometricForm | null;
  loadCatalogs(): Promise<void>;
  selectCatalog(id: string | null): void;
  deleteCatalog(id: string): Promise<void>;
  startRegistration(): void;
  cancelRegistration(): void;
  setRegistrationPath(path: string): void;
  setRegistrationName(name: string): void;
  /** Native file dialog (Electron); resolves false where there is none (browser). */
  pickSpeczFile(): Promise<boolean>;
  /** Browser fallback: sends the file's bytes to the data folder, then previews it. */
  uploadSpecz(fileName: string, data: Uint8Array): Promise<void>;
  loadPreview(): Promise<void>;
  /** Stops the preview in progress (main's reading and downloads too); the form stays. */
  cancelPreview(): void;
  setMapping(role: SpeczRole, column: string | null): void;
  setAngleUnits(units: AngleUnitsChoice | ''): void;
  validateRegistration(): Promise<void>;
  /** Registers the file; `skipInvalidRows` keeps only the valid rows of a partly bad file. */
  confirmRegistration(skipInvalidRows?: boolean): Promise<CatalogSummary | null>;
  backToMapping(): void;
  startPhotometric(): void;
  cancelPhotometric(): void;
  setPhotometricField(field: 'location' | 'name', value: string): void;
  pickCatalogFolder(): Promise<void>;
  addPhotometric(): Promise<CatalogSummary | null>;
  /** A catalogProgress event: shown while it is the registration's call in progress. */
  onCatalogProgress(requestId: string, progress: SpeczReadProgress): void;
}

const emptyRegistration = (): Registration => ({
  step: 'pick',
  path: '',
  name: '',
  preview: null,
  mapping: null,
  angleUnits: '',
  report: null,
  busy: false,
  error: null,
  requestId: null,
  progress: null,
  previewing: false,
  note: null,
});

const newRequestId = () => `catalog-${crypto.randomUUID()}`;

/** File name without folders and extensions, as a default catalog name. */
function baseName(path: string): string {
  const last = path.split(/[\\/]/).pop() ?? '';
  return last.replace(/^\d+-/, '').replace(/\.[^.]*$/, '');
}

export const createCatalogsSlice: SliceCreator<CatalogsSlice> = (api) => (set, get) => {
  const patchRegistration = (patch: Partial<Registration>) => {
    const current = get().registration;
    if (current) set({ registration: { ...current, ...patch } });
  };
  const patchForm = (patch: Partial<PhotometricForm>) => {
    const current = get().photometricForm;
    if (current) set({ photometricForm: { ...current, ...patch } });
  };
  /** Stops the add or registration in progress in main, so that it adds nothing later. */
  const cancelRequest = (requestId: string | null | undefined) => {
    if (requestId) void api.cancelCatalogRequest(requestId).catch(() => undefined);
  };
  const cancelAll = () => {
    cancelRequest(get().registration?.requestId);
    cancelRequest(get().photometricForm?.requestId);
  };
  // Counts registration forms opened or closed, so the answer of a preview or check asked for
  // in a form since cancelled does not land in the next one.
  let registrationSession = 0;
  const newRegistration = (registration: Registration | null) => {
    registrationSession++;
    return registration;
  };
  /** Patches the registration only while it is the form `session` was taken from. */
  const patchSameRegistration = (session: number, patch: Partial<Registration>) => {
    if (session === registrationSession) patchRegistration(patch);
  };
  return {
    catalogs: [],
    catalogsError: null,
    selectedCatalogId: null,
    registration: null,
    photometricForm: null,
    loadCatalogs: async () => {
      try {
        set({ catalogs: await api.listCatalogs(), catalogsError: null });
      } catch (err) {
        set({ catalogsError: messageOf(err) });
      }
    },
    selectCatalog: (selectedCatalogId) => set({ selectedCatalogId }),
    deleteCatalog: async (id) => {
      const name = get().catalogs.find((c) => c.id === id)?.name ?? id;
      try {
        await api.deleteCatalog(id);
        if (get().selectedCatalogId === id) set({ selectedCatalogId: null });
        set({ notice: `Deleted the catalog '${name}'.` });
        await get().loadCatalogs();
      } catch (err) {
        set({ catalogsError: messageOf(err) });
      }
    },
    startRegistration: () => {
      cancelAll();
      set({ registration: newRegistration(emptyRegistration()), photometricForm: null });
    },
    cancelRegistration: () => {
      cancelRequest(get().registration?.requestId);
      set({ registration: newRegistration(null) });
    },
    setRegistrationPath: (path) => {
      const reg = get().registration;
      // the first rows, columns, report and default name are the previewed file's: another path
      // drops them (Check the file and Register read the path given, and read the new file
      // with the other one's columns, under its name)
      const previewed = reg?.preview?.path;
      const other = previewed !== undefined && path.trim() !== previewed.trim();
      patchRegistration({
        path,
        error: null,
        note: null,
        ...(other
          ? {
              step: 'pick' as const,
              preview: null,
              mapping: null,
              report: null,
              angleUnits: '' as const,
              name: reg!.name === baseName(previewed) ? '' : reg!.name,
            }
          : {}),
      });
    },
    setRegistrationName: (name) => patchRegistration({ name }),
    pickSpeczFile: async () => {
      const path = await api.pickPath('speczFile');
      if (!path) return false;
      patchRegistration({ path, error: null });
      await get().loadPreview();
      return true;
    },
    uploadSpecz: async (fileName, data) => {
      const session = registrationSession;
      patchRegistration({ busy: true, error: null });
      try {
        const path = await api.uploadFile(fileName, data);
        if (session !== registrationSession) return;
        patchRegistration({ path, busy: false });
        await get().loadPreview();
      } catch (err) {
        patchSameRegistration(session, { busy: false, error: messageOf(err) });
      }
    },
    loadPreview: async () => {
      const reg = get().registration;
      if (!reg) return;
      if (!reg.path.trim()) {
        patchRegistration({
          error: 'Give the path of a spec-z file (CSV, Parquet, FITS or HDF5).',
        });
        return;
      }
      const session = registrationSession;
      // a preview asked for again (Enter in the path field): main stops reading the first
      if (reg.previewing) cancelRequest(reg.requestId);
      // Cancel preview stops main's reading (a slow remote catalog) through this id
      const requestId = newRequestId();
      const current = () =>
        session === registrationSession && get().registration?.requestId === requestId;
      const done = { busy: false, requestId: null, previewing: false };
      patchRegistration({ busy: true, error: null, note: null, requestId, previewing: true });
      try {
        const preview = await api.previewSpecz(reg.path.trim(), requestId);
        if (!current()) return;
        patchRegistration({
          ...done,
          preview,
          mapping: { ...preview.mapping },
          name: reg.name || baseName(reg.path),
          step: 'map',
          report: null,
        });
      } catch (err) {
        if (current()) patchRegistration({ ...done, error: messageOf(err) });
      }
    },
    cancelPreview: () => {
      const reg = get().registration;
      if (!reg?.previewing) return;
      cancelRequest(reg.requestId);
      patchRegistration({
        busy: false,
        requestId: null,
        previewing: false,
        note: `Preview of ${reg.path.trim()} cancelled.`,
      });
    },
    setMapping: (role, column) => {
      const reg = get().registration;
      if (!reg?.mapping) return;
      const value = column === '' ? null : column;
      const mapping = { ...reg.mapping, [role]: value } as ColumnMapping;
      // a new mapping needs a new check: back to the mapping step and its "Check the file"
      patchRegistration({ mapping, report: null, step: 'map' });
    },
    setAngleUnits: (angleUnits) => patchRegistration({ angleUnits, report: null, step: 'map' }),
    validateRegistration: async () => {
      const reg = get().registration;
      if (!reg?.mapping) return;
      const missing = (['ra', 'dec', 'z'] as const).filter((role) => !reg.mapping![role]);
      if (missing.length > 0) {
        patchRegistration({
          error: `Choose the column of ${missing.map((r) => (r === 'z' ? 'z' : r === 'ra' ? 'RA' : 'Dec')).join(', ')}: they are required.`,
        });
        return;
      }
      const session = registrationSession;
      // Cancel stops main's reading of the file through this id, and its progress comes with it
      const requestId = newRequestId();
      patchRegistration({ busy: true, error: null, requestId, progress: null });
      const done = { busy: false, requestId: null, progress: null };
      try {
        const report = await api.validateSpecz({
          path: reg.path.trim(),
          mapping: reg.mapping,
          ...(reg.angleUnits ? { angleUnits: reg.angleUnits } : {}),
          requestId,
        });
        patchSameRegistration(session, { ...done, report, step: 'report' });
      } catch (err) {
        patchSameRegistration(session, { ...done, error: messageOf(err) });
      }
    },
    backToMapping: () => patchRegistration({ step: 'map', error: null }),
    confirmRegistration: async (skipInvalidRows = false) => {
      const reg = get().registration;
      if (!reg?.mapping) return null;
      const requestId = newRequestId();
      const current = () => get().registration?.requestId === requestId;
      patchRegistration({ busy: true, error: null, requestId, progress: null });
      try {
        const catalog = await api.registerSpecz({
          path: reg.path.trim(),
          mapping: reg.mapping,
          ...(reg.angleUnits ? { angleUnits: reg.angleUnits } : {}),
          name: reg.name,
          ...(skipInvalidRows ? { skipInvalidRows: true } : {}),
          requestId,
        });
        if (!current()) {
          // cancelled after main had finished: the list shows what main holds
          await get().loadCatalogs();
          return null;
        }
        set({
          registration: newRegistration(null),
          selectedCatalogId: catalog.id,
          notice: `Registered the redshift catalog '${catalog.name}'.`,
        });
        await get().loadCatalogs();
        return catalog;
      } catch (err) {
        if (current()) {
          patchRegistration({
            busy: false,
            error: messageOf(err),
            requestId: null,
            progress: null,
          });
        }
        return null;
      }
    },
    onCatalogProgress: (requestId, progress) => {
      if (get().registration?.requestId === requestId) patchRegistration({ progress });
    },
    startPhotometric: () => {
      cancelAll();
      set({
        photometricForm: { location: '', name: '', busy: false, error: null, requestId: null },
        registration: newRegistration(null),
      });
    },
    cancelPhotometric: () => {
      cancelRequest(get().photometricForm?.requestId);
      set({ photometricForm: null });
    },
    setPhotometricField: (field, value) => patchForm({ [field]: value, error: null }),
    pickCatalogFolder: async () => {
      const path = await api.pickPath('catalogFolder');
      if (path) patchForm({ location: path, error: null });
    },
    addPhotometric: async () => {
      const form = get().photometricForm;
      if (!form) return null;
      if (!form.location.trim()) {
        patchForm({ error: 'Give the folder or the http(s) URL of a HATS catalog.' });
        return null;
      }
      const requestId = newRequestId();
      const current = () => get().photometricForm?.requestId === requestId;
      patchForm({ busy: true, error: null, requestId });
      try {
        const catalog = await api.addPhotometric({
          location: form.location.trim(),
          name: form.name.trim() || undefined,
          requestId,
        });
        if (!current()) {
          // cancelled after main had finished: the list shows what main holds
          await get().loadCatalogs();
          return null;
        }
        set({
          photometricForm: null,
          selectedCatalogId: catalog.id,
          notice: `Added the photometric catalog '${catalog.name}'.`,
        });
        await get().loadCatalogs();
        return catalog;
      } catch (err) {
        if (current()) patchForm({ busy: false, error: messageOf(err), requestId: null });
        return null;
      }
    },
  };
};
