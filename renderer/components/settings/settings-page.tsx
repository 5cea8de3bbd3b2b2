import { useEffect, useState } from 'react';
import type { Settings } from '../../../preload/api';
import { useTsm, useTsmStore } from '../../state/store-context';
import { typedNumber } from '../typed-number';

/**
 * The form's numbers as typed: text inputs, because a number input reports '1e309', '-' or '1e'
 * as '' (saved as Automatic or 0 without a word).
 */
type SettingsForm = Omit<Settings, 'workers' | 'cacheSizeMb' | 'stallSeconds'> & {
  workers: string;
  cacheSizeMb: string;
  stallSeconds: string;
};

const formOf = (s: Settings): SettingsForm => ({
  ...s,
  workers: s.workers === null ? '' : String(s.workers),
  cacheSizeMb: String(s.cacheSizeMb),
  stallSeconds: s.stallSeconds === null ? '' : String(s.stallSeconds),
});

/**
 * The dust-map folder an empty setting stands for: `dustmaps` in the data folder (as
 * main/dust-map-issues.ts joins it), with the data folder's own separator. The field was blank,
 * while the wizard's SFD message named that folder.
 */
export function defaultDustMapDir(dataDir: string): string {
  const sep = dataDir.includes('\\') && !dataDir.includes('/') ? '\\' : '/';
  return `${dataDir.replace(/[\\/]+$/, '')}${sep}dustmaps`;
}

/** One labelled text input of the Settings page, with its hint below it. */
function SettingsField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint: string;
  inputMode?: 'numeric' | 'decimal';
  placeholder?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="text"
        inputMode={props.inputMode}
        placeholder={props.placeholder}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <div className="hint">{props.hint}</div>
    </div>
  );
}

/** Data folder, dust-map folder, worker count, and the cache size and stall timeout of remote catalogs. */
export function SettingsPage() {
  const store = useTsmStore();
  const settings = useTsm((s) => s.settings);
  const error = useTsm((s) => s.settingsError);
  const saved = useTsm((s) => s.settingsSaved);
  const [form, setForm] = useState<SettingsForm | null>(settings && formOf(settings));
  useEffect(() => setForm(settings && formOf(settings)), [settings]);
  if (!form) return <p className="muted">Loading…</p>;
  const set = (patch: Partial<SettingsForm>) => setForm({ ...form, ...patch });
  return (
    <>
      <h1>Settings</h1>
      <p className="lead">
        Where the app keeps its files, how much of the machine a run may use, and how remote
        catalogs are downloaded.
      </p>
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      {saved && !error && (
        <div className="alert ok" role="status">
          Settings saved.
        </div>
      )}
      <section className="panel">
        <SettingsField
          id="s-data"
          label="Data folder"
          value={form.dataDir}
          onChange={(dataDir) => set({ dataDir })}
          hint="Registered catalogs, runs, uploads and the autosaved draft live here."
        />
        <SettingsField
          id="s-dust"
          label="Dust-map folder"
          placeholder={`Default (${defaultDustMapDir(form.dataDir)})`}
          value={form.dustMapDir}
          onChange={(dustMapDir) => set({ dustMapDir })}
          hint="SFD (SFD_dust_4096_ngp.fits / _sgp.fits), CSFD and Planck map files. Empty: the dustmaps folder inside the data folder. The embedded low-resolution SFD map is always offered."
        />
        <div className="row2">
          <SettingsField
            id="s-workers"
            label="Worker threads"
            inputMode="numeric"
            placeholder="Automatic"
            value={form.workers}
            onChange={(workers) => set({ workers })}
            hint="Empty: chosen per run, one per core but one, or one per core when a run reads far more photometric rows than it writes."
          />
        </div>
        <div className="row2">
          <SettingsField
            id="s-cache"
            label="Cache size for remote catalogs (MB)"
            inputMode="numeric"
            placeholder="0 (the default)"
            value={form.cacheSizeMb}
            onChange={(cacheSizeMb) => set({ cacheSizeMb })}
            hint="0: the default (2 GiB, or TSM_CACHE_MAX_BYTES). The least recently used blocks above it are deleted."
          />
          <SettingsField
            id="s-stall"
            label="Stall timeout for remote catalogs (seconds)"
            inputMode="decimal"
            placeholder="Default (30)"
            value={form.stallSeconds}
            onChange={(stallSeconds) => set({ stallSeconds })}
            hint="A download that receives nothing (or under 100 bytes/s) for this long is tried once more, then stops. Lengthen it on a slow link. Empty: the default (30 s, or TSM_STALL_SECONDS)."
          />
        </div>
        <button
          type="button"
          className="btn primary"
          onClick={() =>
            void store.getState().saveSettings({
              ...form,
              workers: typedNumber(form.workers, null),
              cacheSizeMb: typedNumber(form.cacheSizeMb, 0),
              stallSeconds: typedNumber(form.stallSeconds, null),
            })
          }
        >
          Save settings
        </button>
      </section>
    </>
  );
}
