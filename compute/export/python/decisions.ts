/**
 * Unique galaxies, one-to-one and the keyed splitmix64 split: a port of compute/pipeline/decisions.ts and compute/trainingset/.
 * Python source kept as a string so the bundles carry it (generated job: tsm_job.py).
 */
export const PY_DECISIONS = String.raw`# ---------------------------------------------------------------------------------------------
# Decisions over all matched rows (port of compute/pipeline/decisions.ts and compute/trainingset/)
# ---------------------------------------------------------------------------------------------
MASK64 = (1 << 64) - 1
STAR_FLAG = 6
DELTA_Z_THRESHOLD = 0.001
DELTA_Z_SLACK = 1e-12
TIE_DROPPED, TIE_KEPT, TIE_UNRESOLVED, TIE_STAR = 0, 1, 2, 3


def js_number(x):
    """String(x) of JavaScript (ECMA-262 Number::toString), so keys hash to the app's bytes."""
    if isinstance(x, (bool, np.bool_)):
        return "true" if x else "false"
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, decimal.Decimal) and x.is_finite() and x.as_tuple().exponent >= 0:
        # a DECIMAL(p, 0) id, which the app reads exactly (compute/hats/decimal-columns.ts)
        return str(int(x))
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    digits, _, exp = repr(abs(x)).partition("e")
    exp = int(exp) if exp else 0
    if "." in digits:
        ip, fp = digits.split(".")
    else:
        ip, fp = digits, ""
    if fp == "0":
        fp = ""
    s = (ip + fp).lstrip("0")
    n = len(ip) + exp - (len(ip + fp) - len((ip + fp).lstrip("0")))
    s = s.rstrip("0") or "0"
    k = len(s)
    if k <= n <= 21:
        return sign + s + "0" * (n - k)
    if 0 < n <= 21:
        return sign + s[:n] + "." + s[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + s
    e = n - 1
    es = ("+" if e >= 0 else "-") + str(abs(e))
    return sign + s[0] + ("." + s[1:] if k > 1 else "") + "e" + es


def fnv1a64(text):
    h = 0xCBF29CE484222325
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x100000001B3) & MASK64
    return h


def splitmix64_next(state):
    z = (state + 0x9E3779B97F4A7C15) & MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def keyed_uniform(seed, key):
    """u(seed, key) = splitmix64_next(seed XOR fnv1a64(utf8(key))) >> 11 / 2^53 (split.ts, hash.ts)."""
    return (splitmix64_next((seed & MASK64) ^ fnv1a64(key)) >> 11) / float(1 << 53)


def specz_key(id_value, ra, dec):
    if id_value is not None and id_value != "":
        return "id:" + (id_value if isinstance(id_value, str) else js_number(id_value))
    return "radec:" + js_number(ra) + ":" + js_number(dec)


def _is_int_text(s):
    return re.fullmatch(r"-?\d+", s) is not None


def compare_ids(a, b):
    """Numeric when both are numbers or integer strings, else by the text (flags.ts compareIds)."""
    an = int(a) if isinstance(a, str) and _is_int_text(a) else (None if isinstance(a, str) else a)
    bn = int(b) if isinstance(b, str) and _is_int_text(b) else (None if isinstance(b, str) else b)
    if an is not None and bn is not None:
        return -1 if an < bn else (1 if an > bn else 0)
    sa = a if isinstance(a, str) else js_number(a)
    sb = b if isinstance(b, str) else js_number(b)
    return -1 if sa < sb else (1 if sa > sb else 0)


def instrument_score(t):
    return {"s": 3, "g": 2, "p": 1}.get(t.strip().lower() if isinstance(t, str) else "", 0)


def homogenize_flags(values):
    """CRC scale: probabilities in [0, 1] mapped to 0-4, else values must be 0-4 or 6 (flags.ts)."""
    finite = [v for v in values if v is not None and math.isfinite(v)]
    flags = [math.nan] * len(values)
    if not finite:
        return flags, {"source": "none", "invalid": 0}
    all_unit = all(0 <= v <= 1 for v in finite)
    any_fraction = any(0 <= v <= 1 and not float(v).is_integer() for v in finite)
    if all_unit and any_fraction:
        for i, v in enumerate(values):
            if v is not None and math.isfinite(v):
                flags[i] = 0 if v == 0 else 1 if v < 0.7 else 2 if v < 0.9 else 3 if v < 0.99 else 4
        return flags, {"source": "probability", "invalid": 0}
    invalid = 0
    for i, v in enumerate(values):
        if v is None or not math.isfinite(v):
            continue
        if v in (0, 1, 2, 3, 4, 6):
            flags[i] = float(v)
        else:
            invalid += 1
    return flags, {"source": "scale", "invalid": invalid}


def _group_key(k):
    if k is None:
        return None
    return ("s", k) if isinstance(k, str) else ("n", k)


def group_rows(keys, include=None):
    groups = {}
    for i, k in enumerate(keys):
        if include is not None and not include(i):
            continue
        g = _group_key(k)
        if g is not None:
            groups.setdefault(g, []).append(i)
    return list(groups.values())


def _keep_max(rows, score):
    best = -math.inf
    for r in rows:
        s = score(r)
        if s > best:
            best = s
    return [r for r in rows if score(r) == best or (best == -math.inf and not score(r) > best)]


def resolve_unique_galaxies(phot_id, specz_id, z, zflag, itype):
    """CRC tie-breaking per photometric object (unique-galaxies.ts): returns tie_result per row."""
    n = len(phot_id)
    status = [TIE_KEPT] * n
    flag = (lambda r: zflag[r]) if zflag is not None else (lambda r: math.nan)
    ident = lambda r: specz_id[r] if specz_id[r] is not None else r  # noqa: E731
    for i in range(n):
        if flag(i) == STAR_FLAG:
            status[i] = TIE_STAR
    report = {"rowsIn": n, "groups": 0, "kept": 0, "dropped": 0, "unresolvedGroups": 0, "unresolvedRows": 0, "stars": 0}
    for rows in group_rows(phot_id):
        if len(rows) < 2:
            continue
        report["groups"] += 1
        galaxies = [r for r in rows if flag(r) != STAR_FLAG]
        for r in rows:
            status[r] = TIE_STAR if flag(r) == STAR_FLAG else TIE_DROPPED
        if not galaxies:
            continue
        surv = _keep_max(galaxies, lambda r: flag(r) if not math.isnan(flag(r)) else -math.inf)
        surv = _keep_max(surv, lambda r: instrument_score(itype[r] if itype is not None else None))
        if len(surv) == 1:
            status[surv[0]] = TIE_KEPT
            continue
        surv.sort(key=functools.cmp_to_key(lambda a, b: (z[a] > z[b]) - (z[a] < z[b]) or compare_ids(ident(a), ident(b))))
        winners, best = [], surv[0]
        for i in range(1, len(surv) + 1):
            if i < len(surv) and abs(z[surv[i]] - z[surv[i - 1]]) <= DELTA_Z_THRESHOLD + DELTA_Z_SLACK:
                if compare_ids(ident(surv[i]), ident(best)) < 0:
                    best = surv[i]
                continue
            winners.append(best)
            if i < len(surv):
                best = surv[i]
        unresolved = len(winners) > 1
        for r in winners:
            status[r] = TIE_UNRESOLVED if unresolved else TIE_KEPT
        if unresolved:
            report["unresolvedGroups"] += 1
    names = {TIE_KEPT: "kept", TIE_DROPPED: "dropped", TIE_UNRESOLVED: "unresolvedRows", TIE_STAR: "stars"}
    for s in status:
        report[names[s]] += 1
    return status, report


def enforce_one_to_one(phot_id, dist, status, specz_id):
    """Among kept rows sharing a photometric object the nearest stays (ties: smallest spec-z id)."""
    ident = lambda r: specz_id[r] if specz_id[r] is not None else r  # noqa: E731
    dropped = 0
    for rows in group_rows(phot_id, lambda r: status[r] != TIE_DROPPED):
        if len(rows) < 2:
            continue
        best = rows[0]
        for r in rows[1:]:
            d = dist[r] - dist[best]
            if d < 0 or (d == 0 and compare_ids(ident(r), ident(best)) < 0):
                best = r
        for r in rows:
            if r != best:
                status[r] = TIE_DROPPED
                dropped += 1
    return dropped


def assign_split(keys, phot_id, z, method, fraction, seed, z_bins):
    """is_training_set per row: one keyed draw per linked group (components.ts, split.ts)."""
    n = len(keys)
    parent = list(range(n))
    size = [1] * n

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra == rb:
            return
        if size[ra] < size[rb]:
            ra, rb = rb, ra
        parent[rb] = ra
        size[ra] += size[rb]

    first_s, first_p = {}, {}
    for i in range(n):
        s = first_s.setdefault(keys[i], i)
        if s != i:
            union(s, i)
        k = _group_key(phot_id[i])
        if k is not None:
            p = first_p.setdefault(k, i)
            if p != i:
                union(p, i)
    comp, number, reps = [0] * n, {}, []
    for i in range(n):
        root = find(i)
        c = number.get(root)
        if c is None:
            c = number[root] = len(reps)
            reps.append(i)
        elif keys[i] < keys[reps[c]]:
            reps[c] = i
        comp[i] = c
    draw = [keyed_uniform(seed, keys[r]) for r in reps]
    count = len(reps)
    train = [0] * count
    if method != "stratified":
        train = [1 if d < fraction else 0 for d in draw]
    else:
        def zof(c):
            v = z[reps[c]]
            return v if v is not None and math.isfinite(v) else math.inf

        by_z = sorted(range(count), key=lambda c: (zof(c), draw[c]))
        for b in range(z_bins):
            lo, hi = (b * count) // z_bins, ((b + 1) * count) // z_bins
            members = sorted(by_z[lo:hi], key=lambda c: draw[c])
            n_train = math.floor(fraction * len(members) + 0.5)
            for c in members[:n_train]:
                train[c] = 1
    return [train[comp[i]] for i in range(n)], count
`;
