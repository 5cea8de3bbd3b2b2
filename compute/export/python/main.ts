/**
 * Inputs, the LSDB crossmatch on the Dask cluster, the output writers and the command line.
 * Python source kept as a string so the bundles carry it (generated job: tsm_job.py).
 */
export const PY_MAIN = String.raw`# ---------------------------------------------------------------------------------------------
# Inputs, crossmatch on the cluster, outputs
# ---------------------------------------------------------------------------------------------
SPECZ_SUFFIX = "_specz"
# The crossmatch's suffix of the photometric columns, removed on the workers: a column named
# like one the run writes is kept as <name>_catalog there (keep_catalog_columns)
PHOT_MARK = "__tsm_photometry__"
RUN_COLUMNS = ("_dist_arcsec", "tie_result", "is_training_set")


def read_specz(path, columns):
    """The spec-z catalog as a DataFrame (CSV/text, Parquet, FITS) or an lsdb Catalog (HATS)."""
    import lsdb

    p = Path(path)
    if not p.exists():
        raise UserError(f"{path}: spec-z catalog not found; check specz.path")
    if p.is_dir():
        return lsdb.open_catalog(str(p), columns="all")
    ext = p.suffix.lower()
    if ext in (".parquet", ".parq", ".pq"):
        df = pd.read_parquet(p, dtype_backend="pyarrow")
    elif ext in (".fits", ".fit"):
        from astropy.table import Table

        df = Table.read(p).to_pandas()
    else:
        df = pd.read_csv(p, sep=None, engine="python", dtype_backend="pyarrow")
    df = df.drop(columns=[c for c in (*PARTITION_COLUMNS, "_healpix_29") if c in df.columns])
    for field, col in columns.items():
        if col is not None and col not in df.columns:
            raise UserError(f"{path}: spec-z column '{col}' (specz.columns.{field}) not found; its columns are {', '.join(df.columns)}")
    ra, dec = _float(df, columns["ra"]), _float(df, columns["dec"])
    bad = ~(np.isfinite(ra) & np.isfinite(dec) & (np.abs(dec) <= 90))
    if bad.any():
        i = int(np.argmax(bad))
        raise UserError(f"{path}: row {i + 1} has no valid position ({columns['ra']}={ra[i]}, {columns['dec']}={dec[i]}); fix or remove it")
    return df


def photometry_columns(project, profile, ft, all_columns):
    wanted = project["photometry"]["columns"]
    data = [c for c in all_columns if c not in PARTITION_COLUMNS and c != "_healpix_29"]
    if not wanted:
        return data
    for c in wanted:
        if c not in all_columns:
            raise UserError(f"photometry.columns: '{c}' is not a column of the photometric catalog; remove it or pick from: {', '.join(data)}")
    needed = [profile["idColumn"], profile["raColumn"], profile["decColumn"]]
    if ft is not None:
        for b in ft["bands"]:
            needed += [b.get(k) for k in ("flux", "fluxErr", "mag", "magErr", "magDered")]
    out = []
    for c in list(wanted) + [c for c in needed if c and c in all_columns]:
        if c not in out:
            out.append(c)
    return out


def unsuffix(names):
    present = set(names)
    out = {}
    for name in names:
        bare = name[: -len(SPECZ_SUFFIX)] if name.endswith(SPECZ_SUFFIX) else None
        out[name] = bare if bare and bare not in present else name
    return out


def keep_catalog_columns(names, reserved):
    """As tsm run (run-plan.ts): a photometric column named like a column the run adds or like a
    spec-z column's <name>_specz (a catalog saved from an lsdb crossmatch, an earlier training set)
    is kept as <name>_catalog, the suffix again while that name is taken."""
    taken = set(names) | set(reserved)
    out = {}
    for name in names:
        if name not in reserved:
            continue
        new = name + CATALOG_SUFFIX
        while new in taken:
            new += CATALOG_SUFFIX
        taken.add(new)
        out[name] = new
    return out


def _value(v):
    if v is None or v is pd.NA:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def decide(df, project, profile_id_column, phot_ra, phot_dec, seed):
    """Unique galaxies, one-to-one and the split over every matched row (decisions.ts)."""
    cols = project["specz"]["columns"]
    sfx = lambda c: (c + SPECZ_SUFFIX) if c else None  # noqa: E731
    n = len(df)
    lst = lambda c: df[c].tolist() if c else None  # noqa: E731
    ids = [_value(v) for v in lst(sfx(cols["id"]))] if cols["id"] else [None] * n
    ra, dec = _float(df, sfx(cols["ra"])), _float(df, sfx(cols["dec"]))
    z = [float(v) if _value(v) is not None else math.nan for v in pd.to_numeric(df[sfx(cols["z"])], errors="coerce").tolist()]
    dist = _float(df, "_dist_arcsec")
    matched = ~np.isnan(dist)
    pid_col = profile_id_column
    pids = lst(pid_col) if pid_col else None
    pra, pdec = _float(df, phot_ra), _float(df, phot_dec)
    keys, phot = [], []
    for i in range(n):
        keys.append(specz_key(ids[i], ra[i], dec[i]))
        if not matched[i]:
            phot.append(None)
        elif pids is not None and _value(pids[i]) is not None:
            phot.append(pids[i])
        else:
            phot.append("radec:" + js_number(pra[i]) + ":" + js_number(pdec[i]))
    zflag = None
    flags_info = None
    if cols["zFlag"]:
        raw = [float(v) if _value(v) is not None else None for v in pd.to_numeric(df[sfx(cols["zFlag"])], errors="coerce").tolist()]
        if any(v is not None for v in raw):
            zflag, flags_info = homogenize_flags(raw)
    itype = [str(v) if _value(v) is not None else None for v in lst(sfx(cols["instrumentType"]))] if cols["instrumentType"] else None
    ug = project["uniqueGalaxies"]
    status, report = [TIE_KEPT] * n, None
    if ug["enabled"]:
        status, report = resolve_unique_galaxies(phot, ids, z, zflag, itype)
    dropped = enforce_one_to_one(phot, dist, status, ids) if ug["oneToOne"] else None
    kept = [i for i in range(n) if status[i] != TIE_DROPPED]
    sp = project["split"]
    flags, groups = assign_split([keys[i] for i in kept], [phot[i] for i in kept], [z[i] for i in kept], sp["method"], sp["trainFraction"], seed, sp["zBins"])
    return kept, [status[i] for i in kept], flags, {
        "uniqueGalaxies": report, "oneToOneDropped": dropped, "zFlags": flags_info, "groups": groups,
        "unmatched": int((~matched).sum()), "train": int(sum(flags)), "test": len(flags) - int(sum(flags)),
    }


def check_output_folder(folder, out_name):
    """As tsm run: run.json and the training set beside it belong to one training set per folder.
    The job does not replace what tsm run wrote there, nor another training set's record, nor a
    file at the output's name that no run.json of this job names (one of the user's)."""
    rec_path = folder / "run.json"
    out = folder / out_name
    mine = False
    if (folder / "run.commit.json").exists():
        raise UserError(f"{folder} holds run.commit.json: a tsm run was stopped there while it replaced its training set, so the folder may mix two runs; this job does not touch it. Give another folder with --out, or run that training set again with tsm run, which replaces the files it names.")
    if rec_path.exists():
        advice = f"Give another folder with --out, or move run.json and the training set out of {folder} first."
        try:
            rec = json.loads(rec_path.read_text())
            recorded = Path(rec["output"]["path"]).name
        except Exception:
            raise UserError(f"{rec_path} is not a Training Set Maker run record, and this job would replace it. {advice}")
        if (folder / recorded).exists():
            if "tsmVersion" in rec:
                raise UserError(f"{folder} holds {recorded} and the run.json that tsm run wrote; this job does not replace them. {advice}")
            if recorded != out_name:
                raise UserError(f"{folder} already holds the training set {recorded}, whose run.json this job would replace. {advice}")
        mine = "exportedBy" in rec and recorded == out_name
    if out.exists() and not mine:
        raise UserError(f"{out} already exists, and no run.json of an earlier run of this job in {folder} names it: the job does not replace what it did not write. Move it out of the way, or give another folder with --out.")


def astropy_table(df, bools_as_int8=False, units=None):
    """The frame as an astropy Table, nulls as masks (floats: NaN), with the columns' units, as
    the app's FITS and HDF5 writers keep them; astropy cannot take pandas' Arrow-backed columns
    with nulls itself."""
    from astropy.table import Column, MaskedColumn, Table

    table = pa.Table.from_pandas(df, preserve_index=False)
    columns = []
    for name, col in zip(table.column_names, table.columns):
        col = col.combine_chunks()
        t = col.type
        floating = pa.types.is_floating(t)
        if pa.types.is_string(t) or pa.types.is_large_string(t):
            values = np.array([v or "" for v in col.to_pylist()], dtype=str)
        elif pa.types.is_boolean(t):
            values = col.fill_null(False).to_numpy(zero_copy_only=False)
            if bools_as_int8:
                values = values.astype("int8")
        elif floating:
            values = col.to_numpy(zero_copy_only=False)
        else:
            values = col.fill_null(0).to_numpy(zero_copy_only=False)
        if col.null_count and not floating:
            mask = col.is_null().to_numpy(zero_copy_only=False)
            # a FITS logical has no null: written as its fill value, False as the app reads it back
            fill = {"fill_value": values.dtype.type(0)} if pa.types.is_boolean(t) else {}
            columns.append(MaskedColumn(values, name=name, mask=mask, unit=(units or {}).get(name), **fill))
        else:
            columns.append(Column(values, name=name, unit=(units or {}).get(name)))
    return Table(columns)


def write_output(df, fmt, path, metadata, ra_col, dec_col, units=None):
    tmp = Path(str(path) + ".partial")
    try:
        _write_partial(df, fmt, tmp, metadata, ra_col, dec_col, units or {})
    except BaseException:
        # nothing half-written is left beside the output
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
        elif tmp.exists():
            tmp.unlink()
        raise
    if Path(path).is_dir():
        shutil.rmtree(path)
    os.replace(tmp, path)
    return path


def _write_partial(df, fmt, tmp, metadata, ra_col, dec_col, units):
    if fmt == "parquet":
        table = pa.Table.from_pandas(df, preserve_index=False)
        # each column's unit as its field's metadata, as the app's Parquet writer
        fields = [f.with_metadata({"unit": units[f.name]}) if f.name in units else f for f in table.schema]
        schema = pa.schema(fields, metadata={**(table.schema.metadata or {}), **{k.encode(): v.encode() for k, v in metadata.items()}})
        pq.write_table(pa.Table.from_arrays(table.columns, schema=schema), tmp)
    elif fmt == "csv":
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            f.write(",".join(_csv_quote(c) for c in df.columns) + "\r\n")
            columns = [[_csv_cell(v, _is_float32(df[c])) for v in df[c].tolist()] for c in df.columns]
            for row in zip(*columns):
                f.write(",".join(row) + "\r\n")
    elif fmt == "fits":
        t = astropy_table(df, units=units)
        t.meta.update(metadata)
        t.write(tmp, format="fits")
    elif fmt == "hdf5":
        # As the app's HDF5 writer: dataset "data" with astropy's column meta, booleans stored as
        # int8 0/1 and listed in the attribute tsm_bool_columns, run parameters as attributes.
        import h5py

        bools = [c for c in df.columns if pd.api.types.is_bool_dtype(df[c].dtype)]
        astropy_table(df, bools_as_int8=True, units=units).write(tmp, format="hdf5", path="data", serialize_meta=True)
        with h5py.File(tmp, "a") as h5:
            for k, v in metadata.items():
                h5["data"].attrs[k] = v
            if bools:
                h5["data"].attrs["tsm_bool_columns"] = ",".join(bools)
    elif fmt == "hats":
        import lsdb

        cat = lsdb.from_dataframe(df, ra_column=ra_col, dec_column=dec_col, catalog_name="catalog", margin_threshold=5.0)
        cat.write_catalog(str(tmp), as_collection=True, overwrite=True)
        _hats_units(tmp, units)
    else:
        raise UserError(f"output.format: '{fmt}' is not supported")


def _hats_units(root, units):
    """Each column's unit as its field's metadata in every catalog of the collection (leaf files,
    _common_metadata, _metadata), as the app's HATS writer keeps them: lsdb's from_dataframe
    drops fields' metadata (and given a schema with it, writes a margin whose schema differs from
    the catalog's, which lsdb then refuses to open)."""
    from hats.io import write_parquet_metadata

    def with_units(schema):
        fields = [f.with_metadata({**(f.metadata or {}), b"unit": units[f.name].encode()}) if f.name in units else f for f in schema]
        return pa.schema(fields, metadata=schema.metadata)

    if not units:
        return
    for common in sorted(Path(root).glob("*/dataset/_common_metadata")):
        dataset = common.parent
        leaves = sorted(dataset.glob("Norder=*/Dir=*/Npix=*.parquet"))
        for leaf in leaves:
            table = pq.ParquetFile(leaf).read()
            pq.write_table(pa.Table.from_arrays(table.columns, schema=with_units(table.schema)), leaf)
        if leaves:
            # _metadata holds the leaves' footers, so it is written again from them
            stats = (dataset.parent / "per_partition_statistics.parquet").exists()
            write_parquet_metadata(dataset.parent, create_per_partition_stats=stats)
        else:
            for meta in (common, dataset / "_metadata"):
                if meta.exists():
                    pq.write_metadata(with_units(pq.read_schema(meta)), meta)


def _csv_quote(text):
    if text == "" or re.search(r"[\",\r\n]", text) or text.strip() != text:
        return '"' + text.replace('"', '""') + '"'
    return text


def _is_float32(series):
    dt = series.dtype
    return (isinstance(dt, pd.ArrowDtype) and dt.pyarrow_dtype == pa.float32()) or dt == np.float32


def _float32_text(v):
    """Float32 text as the app's CSV writer (csv-float32.ts, else csv-writer.ts formatFloat32):
    the fewest of 7, 8 or 9 significant digits that read back as the same float32."""
    sign, a = ("-", -v) if v < 0 else ("", v)
    if a == 0:
        return sign + "0"
    if not (1e-6 <= a < 1e15):
        return _float32_fallback(v)
    e = math.floor(math.log10(a))
    if float(10 ** max(0, e)) > a and e > 0:
        e -= 1
    m = k = 0
    for d in (7, 8, 9):
        k = d - 1 - e
        if k > 22:
            return _float32_fallback(v)
        x = a * float(10**k) if k >= 0 else a / float(10 ** (-k))
        m = math.floor(x)
        if x - m >= 0.5:
            m += 1
        back = m / float(10**k) if k >= 0 else m * float(10 ** (-k))
        if np.float32(back) == np.float32(a):
            break
    while k > 0 and m % 10 == 0:
        m //= 10
        k -= 1
    digits = str(m)
    if k <= 0:
        return sign + digits + "0" * (-k)
    if k >= len(digits):
        return sign + "0." + "0" * (k - len(digits)) + digits
    return sign + digits[: len(digits) - k] + "." + digits[len(digits) - k :]


def _float32_fallback(v):
    """csv-writer.ts formatFloat32: 7 significant digits when they suffice, else 9."""
    s7 = _to_precision(v, 7)
    text = s7 if np.float32(float(s7)) == np.float32(v) else _to_precision(v, 9)
    if "." not in text or "e" in text:
        return text
    return text.rstrip("0").rstrip(".")


def _to_precision(v, p):
    """v.toPrecision(p) of JavaScript: p significant digits, ties away from zero."""
    sign = "-" if v < 0 else ""
    d = abs(decimal.Decimal(v))
    if d == 0:
        return "0" if p == 1 else "0." + "0" * (p - 1)
    e = d.adjusted()
    r = d.quantize(decimal.Decimal(1).scaleb(e - p + 1), rounding=decimal.ROUND_HALF_UP)
    if r.adjusted() > e:
        e = r.adjusted()
        r = d.quantize(decimal.Decimal(1).scaleb(e - p + 1), rounding=decimal.ROUND_HALF_UP)
    digits = "".join(map(str, r.as_tuple().digits)).ljust(p, "0")[:p]
    if e < -6 or e >= p:
        return sign + digits[0] + ("." + digits[1:] if p > 1 else "") + "e" + ("+" if e >= 0 else "-") + str(abs(e))
    if e == p - 1:
        return sign + digits
    if e >= 0:
        return sign + digits[: e + 1] + "." + digits[e + 1 :]
    return sign + "0." + "0" * (-(e + 1)) + digits


def _csv_cell(v, single=False):
    if v is None or v is pd.NA:
        return ""
    if isinstance(v, (float, np.floating)):
        if math.isnan(v):
            return ""
        return _float32_text(float(v)) if single and math.isfinite(v) else js_number(float(v))
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return _csv_quote(str(v))


def crossmatch_partition(df, profile, ft, to_mag, dust_spec, ebv_scale, drop, names, positions):
    """Runs on the workers: the photometric columns' names, then photometry for one crossmatched
    partition (dust map opened once per worker process and kept in a cache on the sys module,
    which task pickling does not copy)."""
    df = df.rename(columns=names)
    if drop:
        df = df.drop(columns=drop)
    dust = None
    if dust_spec:
        cache = sys.__dict__.setdefault("_tsm_dust_maps", {})
        if dust_spec not in cache:
            cache[dust_spec] = open_dust_map(*dust_spec)
        dust = cache[dust_spec]
    return apply_photometry(df, profile, ft, to_mag, dust, ebv_scale, positions) if ft else df


def run(args):
    import lsdb
    from dask.distributed import Client, LocalCluster

    t_start = time.time()

    def log(message):
        print(f"[{time.time() - t_start:7.2f} s] {message}", file=sys.stderr, flush=True)

    project = PARAMS["project"]
    seed = project["split"]["seed"]
    if seed is None:
        seed = int.from_bytes(os.urandom(4), "little") & 0x7FFFFFFF
    if args.scheduler:
        client, cluster = Client(args.scheduler), None
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=args.threads_per_worker, memory_limit=args.memory_limit)
        client = Client(cluster)
    log(f"Dask client ready: {client.dashboard_link}")
    try:
        sp_cols = project["specz"]["columns"]
        phot_loc = args.photometry or PARAMS["photometryLocation"]
        specz_loc = args.specz or PARAMS["speczLocation"]
        phot = lsdb.open_catalog(phot_loc, columns="all")
        info = phot.hc_structure.catalog_info
        all_columns = list(phot.hc_structure.schema.names)
        profile = detect_profile(all_columns, info.catalog_name, info.ra_column, info.dec_column, project["photometry"]["profile"], phot_loc)
        want = project["photometry"]["fluxType"].lower()
        ft = None
        if profile["fluxTypes"]:
            ft = find_flux_type(profile, None if want == "auto" else want)
        elif want != "auto":
            raise UserError(f"photometry.fluxType: '{want}' is not in {phot_loc} (no flux or magnitude columns of a known survey); use auto")
        right_cols = photometry_columns(project, profile, ft, all_columns)
        q = profile["qualityFilter"]
        load = right_cols + ([q[0]] if q and q[0] not in right_cols else [])
        phot = lsdb.open_catalog(phot_loc, columns=load)
        drop = []
        if q:
            phot = phot.query(chr(96) + q[0] + chr(96) + " == " + repr(q[1]))
            if q[0] not in right_cols:
                drop = [q[0]]
        specz = read_specz(specz_loc, sp_cols)
        if not isinstance(specz, pd.DataFrame):
            rows_in = specz.hc_structure.catalog_info.total_rows
        else:
            rows_in = len(specz)
            specz = lsdb.from_dataframe(specz, ra_column=sp_cols["ra"], dec_column=sp_cols["dec"], catalog_name="specz", margin_threshold=None)
        folder = Path(args.out or PARAMS["outputFolder"])
        fmt = project["output"]["format"]
        ext = {"parquet": ".parquet", "csv": ".csv", "fits": ".fits", "hdf5": ".hdf5", "hats": ".hats"}[fmt]
        check_output_folder(folder, PARAMS["safeName"] + ext)  # before any work
        # the photometric columns' names in the output: those named like a column the run writes
        # are kept as <name>_catalog, as tsm run does (lsdb refused duplicate column names)
        left_cols = [c for c in specz.columns if c not in PARTITION_COLUMNS and c != "_healpix_29"]
        catalog_names = keep_catalog_columns(right_cols, [*RUN_COLUMNS, *(c + SPECZ_SUFFIX for c in left_cols)])
        phot_names = {c + PHOT_MARK: catalog_names.get(c, c) for c in right_cols + drop}
        out_name = lambda c: phot_names.get(c + PHOT_MARK, c)  # noqa: E731
        drop = [out_name(c) for c in drop]
        # E(B-V) at the profile's positions; the decisions and units take the catalog's (run.ts)
        positions = (out_name(profile["raColumn"]), out_name(profile["decColumn"]))
        catalog_positions = (out_name(info.ra_column), out_name(info.dec_column))
        xm = project["crossmatch"]
        no_match = f"No cross matches were found: no spec-z row of {specz_loc} has a photometric object of {phot_loc} within {js_number(xm['radiusArcsec'])} arcsec. Check that the catalogs overlap on the sky, or use a larger radius."
        try:
            matched = specz.crossmatch(
                phot, radius_arcsec=xm["radiusArcsec"], n_neighbors=xm["nNeighbors"], how=xm["join"],
                suffixes=(SPECZ_SUFFIX, PHOT_MARK), suffix_method="all_columns",
            )
        except RuntimeError as err:
            if "do not overlap" not in str(err):
                raise
            raise UserError(no_match + " (lsdb stops when the catalogs do not overlap at all, so this job writes no file; tsm run writes an empty training set)") from err
        except ValueError as err:
            if "greater than margin" not in str(err):
                raise
            margin = phot.margin.hc_structure.catalog_info.margin_threshold if phot.margin is not None else None
            raise UserError(
                f"crossmatch.radiusArcsec: {js_number(xm['radiusArcsec'])} arcsec is larger than the margin of {phot_loc}"
                + (f" ({js_number(margin)} arcsec)" if margin is not None else "")
                + ": lsdb refuses this crossmatch (tsm run reads the neighbouring partitions instead). Use a radius within the margin, or a catalog imported with a wider margin."
            ) from err
        dmap = PARAMS["dustMap"]
        dust_spec = (dmap, args.dust_maps) if dmap != "none" and ft else None
        dust_info = open_dust_map(*dust_spec) if dust_spec else None  # fail before any work
        to_mag = project["photometry"]["convertToMagnitudes"]
        scale = project["photometry"]["dereddening"]["scale"]
        meta = matched.meta.rename(columns=phot_names).drop(columns=drop)
        if ft:
            meta = apply_photometry(meta, profile, ft, to_mag, _MetaDust() if dust_spec else None, scale, positions)
        done = matched.map_partitions(crossmatch_partition, profile, ft, to_mag, dust_spec, scale, drop, phot_names, positions, meta=meta)
        log(f"crossmatch planned: {specz.get_healpix_pixels().__len__()} spec-z partitions x {phot.get_healpix_pixels().__len__()} photometric partitions")
        t_compute = time.time()
        try:
            df = done.compute()
        except ValueError as err:
            # scipy's KD-tree refuses a NaN or infinite position: a traceback said so
            if "must be finite" not in str(err):
                raise
            raise UserError(
                f"{phot_loc}"
                + ("" if isinstance(specz_loc, str) and Path(specz_loc).is_file() else f" or {specz_loc}")
                + f" has rows whose ra or dec is NaN or infinite, which lsdb's crossmatch cannot take ({err}); tsm run leaves them out and counts them in its warnings. Remove those rows from the catalog, or run the project with tsm run."
            ) from err
        compute_s = time.time() - t_compute
        log(f"crossmatch + photometry computed on the cluster: {len(df)} rows")
        warnings = []
        if not np.isfinite(_float(df, "_dist_arcsec")).any():
            # as tsm run: not an error, an empty training set (every column, 0 rows) and a warning
            warnings.append(no_match)
            log("warning: " + warnings[-1])
            if len(df) == 0 and project["output"]["format"] == "hats":
                raise UserError(warnings[-1] + " (lsdb cannot write a HATS catalog of 0 rows: choose another output format to get the empty training set)")
        if dust_info is not None and needs_dust_map(ft, to_mag):
            # as tsm run (run.ts): a map of NaN or negative values was applied without a word
            dist = _float(df, "_dist_arcsec")
            bad_ebv = ebv_values_warning(dust_info, _float(df, "ebv")[~np.isnan(dist)])
            if bad_ebv:
                warnings.append("photometry.dereddening.map: " + bad_ebv)
                log("warning: " + warnings[-1])
        df = df.reset_index()
        pid = profile["idColumn"] if profile["idColumn"] and profile["idColumn"] in {out_name(c) for c in right_cols} else None
        kept, status, split, record = decide(df, project, pid, *catalog_positions, seed)
        log(f"decisions: {len(kept)} rows kept, {record['train']} train, {record['test']} test")
        out = df.iloc[kept].copy()
        if project["uniqueGalaxies"]["enabled"]:
            out["tie_result"] = pd.arrays.ArrowExtensionArray(pa.array(status, type=pa.int32()))
        out["is_training_set"] = pd.arrays.ArrowExtensionArray(pa.array(split, type=pa.int32()))
        names = unsuffix(list(out.columns))
        out = out.rename(columns=names)
        folder.mkdir(parents=True, exist_ok=True)
        metadata = {
            "training_set": project["name"], "tsm_version": PARAMS["tsmVersion"] + " (exported LSDB job)",
            "radius_arcsec": js_number(xm["radiusArcsec"]), "n_neighbors": str(xm["nNeighbors"]), "join": xm["join"],
            "unique_galaxies": str(project["uniqueGalaxies"]["enabled"]).lower(), "one_to_one": str(project["uniqueGalaxies"]["oneToOne"]).lower(),
            "split_method": project["split"]["method"], "train_fraction": js_number(project["split"]["trainFraction"]), "random_seed": str(seed),
        }
        ra_out = names.get(sp_cols["ra"] + SPECZ_SUFFIX, sp_cols["ra"])
        dec_out = names.get(sp_cols["dec"] + SPECZ_SUFFIX, sp_cols["dec"])
        units = output_units(profile, [ra_out, dec_out, *catalog_positions], list(out.columns))
        path = write_output(out.reset_index(drop=True), fmt, folder / (PARAMS["safeName"] + ext), metadata, ra_out, dec_out, units)
        run_record = {
            "status": "done", "warnings": warnings, "exportedBy": PARAMS["tsmVersion"], "lsdb": lsdb.__version__,
            "scheduler": args.scheduler or f"LocalCluster({args.workers} workers x {args.threads_per_worker} threads)",
            "elapsedSeconds": round(time.time() - t_start, 3), "computeSeconds": round(compute_s, 3),
            "seed": seed, "profile": profile["id"], "fluxType": ft["id"] if ft else None,
            "counts": {"speczIn": rows_in, "rows": len(df), "written": len(out), **record},
            "output": {"path": str(path), "format": fmt, "columns": list(out.columns)},
        }
        log(f"wrote {path}")
        (folder / "run.json").write_text(json.dumps(run_record, indent=2, default=str) + "\n")
        print(json.dumps(run_record, default=str))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


class _MetaDust:
    """Stands in for a dust map when pandas builds the empty 'meta' frame of the result."""

    def ebv(self, ra, dec):
        return np.full(len(ra), np.nan)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Training Set Maker job on LSDB + Dask (exported by tsm export --target lsdb)")
    ap.add_argument("--scheduler", help="address of a running dask.distributed scheduler (tcp://host:8786); default: a LocalCluster")
    ap.add_argument("--workers", type=int, default=2, help="LocalCluster workers (default 2)")
    ap.add_argument("--threads-per-worker", type=int, default=2)
    ap.add_argument("--memory-limit", default="2GiB", help="per LocalCluster worker (default 2GiB)")
    ap.add_argument("--dust-maps", default=str(Path(__file__).resolve().parent / "dustmaps"), help="dust-map folder (default ./dustmaps next to this script)")
    ap.add_argument("--specz", help="override the spec-z catalog path")
    ap.add_argument("--photometry", help="override the photometric HATS catalog (path or URL)")
    ap.add_argument("--out", help="override the output folder")
    args = ap.parse_args(argv)
    try:
        run(args)
    except UserError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
`;
