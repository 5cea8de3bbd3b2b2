import { basename, dirname, isAbsolute, join, normalize } from 'node:path';
import {
  JSON_PROJECT_VERSIONS,
  PROJECT_EXTENSION,
  defaultProject,
  ignoredKeyWarning,
  loadProject,
  projectIssues,
  saveProject,
  type Project,
  type ProjectIssue,
} from '../compute/pipeline/project';
import { DUST_MAPS } from '../compute/pipeline/project-schema';
import { resolvePath } from '../compute/pipeline/run-plan';
import { randomUUID } from 'node:crypto';
import type {
  CatalogSummary,
  DraftRef,
  DraftSaved,
  ProjectFileRef,
  RecentProject,
} from '../preload/api';

/**
 * The project file a path names: itself with the `.tsm.json` suffix (added when missing); an
 * original `config.yml`/`.yaml` gives `config.tsm.json` beside it, so saving never writes JSON over
 * the original's YAML.
 */
export function projectFilePath(path: string): string {
  if (path.endsWith(PROJECT_EXTENSION)) return path;
  return `${path.replace(/\.ya?ml$/i, '')}${PROJECT_EXTENSION}`;
}
import { readJsonFile, updateJsonFile, writeJsonFile } from './json-file';
import { UserError, errorMessage } from '../compute/errors';
import { makeFolder } from '../compute/io/make-folder';
import { withFileLock } from './file-lock';

/** Whether a path can be the draft's project file: absolute, with the `.tsm.json` suffix. */
export function isProjectFilePath(path: string): boolean {
  return isAbsolute(path) && path.endsWith(PROJECT_EXTENSION);
}

/** How many projects File > Recent remembers. */
export const RECENT_LIMIT = 10;

/**
 * Project files (`*.tsm.json`): new, open, save / save as, the recent list and the autosaved
 * draft of the wizard. Parsing and validation are the engine's (compute/pipeline/project.ts).
 */
export class ProjectFiles {
  /** The draft's saves, one after another: a check and its write are not split by another save. */
  private draftSaves: Promise<unknown> = Promise.resolve();

  constructor(
    /** JSON file holding the recent list. */
    private readonly recentFile: string,
    /** Where the open draft is autosaved (any state, valid or not). */
    private readonly draftFile: () => Promise<string>,
  ) {}

  newProject(): Project {
    return defaultProject();
  }

  validate(project: Project): ProjectIssue[] {
    return projectIssues(project);
  }

  /**
   * A path as typed: a relative one is in the data folder's `projects/` (where the summary offers
   * to save), not in the folder the app happened to start from.
   */
  private async resolve(path: string): Promise<string> {
    if (isAbsolute(path)) return path;
    if (leavesFolder(path)) {
      throw new UserError(
        `'${path}' leads out of the data folder's projects/, where a relative path is; give an absolute path for a project file elsewhere`,
      );
    }
    return join(dirname(await this.draftFile()), 'projects', path);
  }

  async open(typed: string): Promise<ProjectFileRef> {
    const path = await this.resolve(typed);
    const warnings: string[] = [];
    const project = catalogPathsFrom(
      await loadProject(path, {
        onIgnoredKey: (key) => warnings.push(ignoredKeyWarning(path, key)),
      }),
      dirname(path),
    );
    warnings.push(...(await this.remember(path, project.name)));
    const ref = { path, project, savePath: projectFilePath(path) };
    return warnings.length > 0 ? { ...ref, warnings } : ref;
  }

  /** Validates and writes the project; a missing `.tsm.json` suffix is added. */
  async save(typed: string, project: Project): Promise<ProjectFileRef> {
    const target = projectFilePath(await this.resolve(typed));
    await makeFolder(dirname(target));
    const saved = await saveProject(target, project);
    const warnings = await this.remember(target, saved.name);
    const ref = { path: target, project: saved, savePath: target };
    return warnings.length > 0 ? { ...ref, warnings } : ref;
  }

  async recent(): Promise<RecentProject[]> {
    return recentProjects(await readJsonFile(this.recentFile, []));
  }

  /**
   * Puts the project first in the recent list. A list that cannot be read or saved (a full disk)
   * does not stop the opening or saving: it is one warning.
   */
  private async remember(path: string, name: string): Promise<string[]> {
    try {
      const entry = { path, name: name || basename(path), openedAt: new Date().toISOString() };
      // under the list's lock: two windows or processes opening projects at once keep both
      await updateJsonFile(this.recentFile, [], (stored) =>
        [entry, ...recentProjects(stored).filter((r) => r.path !== path)].slice(0, RECENT_LIMIT),
      );
      return [];
    } catch (err) {
      return [`The list of recent projects was not updated: ${errorMessage(err)}`];
    }
  }

  /**
   * Autosaves the wizard's draft as it is (validation happens on save and on run), with the
   * project file it was opened from or saved to and a new revision: `{ projectPath, project,
   * revision }`. With `baseRevision` (a window's last loaded or saved revision) it writes only
   * when the draft on disk is still that one (or there is none): two windows editing one draft
   * each learn of the other's save instead of writing over it. Without it, it writes. The check
   * and the writing (atomic) hold the draft's lock (main/file-lock.ts), so that windows served by
   * two processes sharing the data folder (the app and a web bridge) take turns too.
   */
  saveDraft(
    project: Project,
    projectPath: string | null,
    baseRevision?: string | null,
  ): Promise<DraftSaved> {
    const save = this.draftSaves.then(async (): Promise<DraftSaved> => {
      const file = await this.draftFile();
      await makeFolder(dirname(file)); // its lock is made beside it
      return withFileLock(file, async (): Promise<DraftSaved> => {
        if (baseRevision !== undefined) {
          // a draft that cannot be read any more (an older version's) is not one to keep
          const current = await this.readDraft().catch(() => null);
          if (current && current.revision !== baseRevision) return { saved: false, current };
        }
        const revision = randomUUID();
        await writeJsonFile(file, { projectPath, project, revision });
        return { saved: true, revision };
      });
    });
    this.draftSaves = save.catch(() => undefined);
    return save;
  }

  /**
   * The autosaved draft, or null when there is none or it no longer fits the schema's shape. A
   * draft written before the project file was kept with it (the bare project) has no project file.
   */
  async loadDraft(): Promise<DraftRef | null> {
    // a save that arrived first (a page's last edit as it reloads) is on disk before it is read
    await this.draftSaves;
    return this.readDraft();
  }

  private async readDraft(): Promise<DraftRef | null> {
    const file = await this.draftFile();
    let stored: unknown;
    try {
      stored = await readJsonFile(file, null);
    } catch {
      return null;
    }
    if (!stored || typeof stored !== 'object') return null;
    let projectPath: string | null = null;
    let revision: string | null = null;
    if (!('version' in stored) && 'project' in stored) {
      const wrapped = stored as { project?: unknown; projectPath?: unknown; revision?: unknown };
      // a path edited by hand into something Save must not write to is dropped
      if (typeof wrapped.projectPath === 'string' && isProjectFilePath(wrapped.projectPath)) {
        projectPath = wrapped.projectPath;
      }
      if (typeof wrapped.revision === 'string') revision = wrapped.revision;
      stored = wrapped.project;
      if (!stored || typeof stored !== 'object') return null;
    }
    // A draft may be incomplete (no name yet); keep it if only such fields are missing.
    const base = defaultProject();
    const draft = { ...base, ...(stored as Partial<Project>) } as Project;
    if (!(JSON_PROJECT_VERSIONS as readonly unknown[]).includes(draft.version)) {
      throw new UserError(
        `${file}: the draft has version ${String(draft.version)}; delete it to start over`,
      );
    }
    // a draft an earlier build kept (version 1) is read as a project file of that version is
    draft.version = base.version;
    return { project: draft, projectPath, revision };
  }
}

/**
 * The project's registered spec-z catalog when it is not (or no longer) registered: an opened
 * project naming a deleted catalog showed its id and could be run, to fail only then.
 */
export function unregisteredCatalogIssues(
  project: Project,
  catalogs: readonly CatalogSummary[],
): ProjectIssue[] {
  const id = project.specz.catalogId;
  if (!id || catalogs.some((c) => c.kind === 'specz' && c.id === id && !c.problem)) return [];
  return [
    {
      path: 'specz.catalogId',
      message: `no registered spec-z catalog '${id}' (deleted, or registered in another data folder): choose one in step 2, or register its file on the Catalogs page`,
    },
  ];
}

/**
 * A relative output folder is inside the run's own folder (the field's hint says so): one that
 * leads out of it with `..` is refused, on the field before Run as when the run starts.
 */
export function outputFolderIssues(project: Project): ProjectIssue[] {
  const folder = project.output.folder;
  if (isAbsolute(folder) || !leavesFolder(folder)) return [];
  return [
    {
      path: 'output.folder',
      message: `'${folder}' leads out of the run's own folder; give an absolute path for a folder elsewhere`,
    },
  ];
}

/** Whether a relative path climbs out of the folder it is relative to (`..`, `a/../..`). */
function leavesFolder(relativePath: string): boolean {
  return normalize(relativePath).split(/[\\/]/)[0] === '..';
}

/** The valid entries of a stored recent.json (none when it is not a list). */
function recentProjects(stored: unknown): RecentProject[] {
  if (!Array.isArray(stored)) return [];
  return stored.filter(
    (r): r is RecentProject =>
      typeof r?.path === 'string' && typeof r?.name === 'string' && typeof r?.openedAt === 'string',
  );
}

/**
 * An opened project's spec-z file, photometric folder and dust-map file as `tsm run` reads them:
 * a relative path is relative to the project file's folder (the app would otherwise look for it
 * beside the run's output). The output folder keeps the app's meaning (relative: inside the run's
 * own folder).
 */
function catalogPathsFrom(project: Project, dir: string): Project {
  const { specz, photometry } = project;
  const map = photometry.dereddening.map;
  const absolute = (path: string) => (path ? resolvePath(path, dir) : path);
  return {
    ...project,
    specz: specz.path ? { ...specz, path: absolute(specz.path) } : specz,
    photometry: {
      ...photometry,
      location: absolute(photometry.location),
      dereddening: {
        ...photometry.dereddening,
        map: (DUST_MAPS as readonly string[]).includes(map) ? map : absolute(map),
      },
    },
  };
}
