"""The whole catalogue in pandas: the definitions parsed by catalogue.py and
each construct of the expression language evaluated as a vectorised
operation over the population's frame, with the engine's rules (missing
values false in every comparison and truth, dates of a participation its
own else its activity's, latest facts and results by id) as catalogue.py's
SQL spells them.

    catalogue.py pandas CSV_DIR YEAR OUT.csv REPEAT DEFS.json...
"""
import json
import time

import numpy as np
import pandas as pd

from catalogue import (LEVEL_SCORE, Period, fold_subject, load_definitions, parse, results_from,
                       window_years)


def load(folder, schema):
    """The tables bench/run dumped, text columns as text, empty as missing."""
    tables = {}
    for name, columns in schema.items():
        text = {c: str for c, kind in columns if kind == "VARCHAR"}
        tables[name] = pd.read_csv(f"{folder}/{name}.csv", keep_default_na=False, na_values=[""],
                                   dtype=text)
    return tables


def years_to(dates, p):
    """Whole years from each date to the period's end (mms_years_between)."""
    y = pd.to_numeric(dates.str[:4], errors="coerce")
    later = (dates.str[5:10] > p.e[5:]).fillna(False).astype(float)
    return (p.end.year - y - later).to_numpy(dtype=float)


def listed(column, item):
    """Whether a '|'-separated list holds item."""
    return ("|" + column + "|").str.contains("|" + item + "|", regex=False, na=False).to_numpy()


def listed_subject(column, item):
    """Whether a '|'-separated list of subjects holds item, both folded as
    domain/subject.c compares them."""
    folded = column.map(lambda s: "|".join(fold_subject(x) for x in s.split("|")), na_action="ignore")
    return listed(folded, fold_subject(item))


def day_number(dates):
    """Days of 'YYYY-MM-DD' texts, comparable by difference."""
    return pd.to_datetime(dates).map(lambda d: d.toordinal()).to_numpy(dtype=np.int64)


def truth(x):
    x = np.asarray(x, dtype=float)
    return (x != 0) & ~np.isnan(x)


def within(frame, lo, hi):
    """Records whose dates (start else end, end else start) overlap [lo, hi]."""
    return (frame.s <= hi) & (frame.e >= lo)


def completed_by(frame, end):
    """Marked completed, and completed (its last day) by the period's end."""
    return (frame.completed == 1) & (frame.e <= end)


class Catalogue:
    """The tables of one run and the sets the indicators' calls select,
    computed once per distinct call."""

    def __init__(self, t, year):
        self.t, self.year, self.cache = t, year, {}
        units = t["units"]
        self.kind_of = units.set_index("id").kind
        act = t["activities"].merge(
            units[["id", "kind", "level"]].rename(columns={"id": "provider", "kind": "provider_kind",
                                                           "level": "provider_level"}),
            on="provider", how="left")
        act = act.rename(columns={"id": "activity", "kind": "akind", "level": "alevel",
                                  "start": "astart", "end": "aend"})
        pw = t["participations"].merge(act[["activity", "organizer", "akind", "alevel", "federal_register",
                                            "provider_kind", "provider_level", "astart", "aend",
                                            "purpose"]],
                                       on="activity")
        s0, e0 = pw.start.fillna(pw.astart), pw.end.fillna(pw.aend)
        self.pw = pw.assign(s=s0.fillna(e0), e=e0.fillna(s0))

    def once(self, key, make):
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]

    # -- the sets of calls ----------------------------------------------------
    def fact(self, key, p):
        def make():
            f = self.t["facts"]
            f = f[(f.key == key) & (f.year == p.year)].sort_values("id")
            return f.drop_duplicates("unit", keep="last").set_index("unit").value
        return self.once(("fact", key, p.year), make)

    def structures(self, kind):
        """The units of a kind and their structures (expr.c's organised_by):
        a subunit belongs to its parent, a unit to a parent of its level."""
        def make():
            u = self.t["units"]
            level = u.set_index("id").level
            found = set(u[u.kind == kind].id)
            new = found
            while new:
                c = u[u.parent.isin(new)]
                c = c[(c.level == "subunit") | (c.level == c.parent.map(level))]
                new = set(c.id) - found
                found |= new
            return np.array(sorted(found))
        return self.once(("structures", kind), make)

    def routes_live(self, p):
        def make():
            ev = self.t["route_events"]
            ev = ev[ev.step.isna() & (ev.date <= p.e)].sort_values("id")
            last = ev.drop_duplicates("route", keep="last")[["route", "status", "date"]]
            r = self.t["routes"].merge(last, left_on="id", right_on="route", how="left")
            return r[(r.status != "cancelled") & (r.start.isna() | (r.start <= p.e))]
        return self.once(("routes_live", p.e), make)

    def ids(self, pop, fn, first, named, p):
        key = (pop, fn, first, tuple(sorted(named.items())), p.s, p.e)
        return self.once(key, lambda: self.make_ids(pop, fn, first, named, p))

    def make_ids(self, pop, fn, first, named, p):
        t, since = self.t, p.since(window_years(named))
        if fn == "participated":
            pw = self.pw
            m = (pw.akind == first) & within(pw, since, p.e)
            for arg, col in (("role", "role"), ("level", "alevel"), ("provider_kind", "provider_kind"),
                             ("provider_level", "provider_level"), ("purpose", "purpose")):
                if arg in named:
                    m &= pw[col] == named[arg]
            if "result" in named:
                m &= pw.result.isin(results_from(named["result"]))
            if "organizer_kind" in named:
                m &= pw.organizer.isin(self.structures(named["organizer_kind"]))
            if "federal_register" in named:
                m &= pw.federal_register == int(named["federal_register"])
            if "completed" in named:
                m &= completed_by(pw, p.e) == bool(named["completed"])
            hit = pw[m]
            people = hit.staff.dropna().unique()
            if pop == "staff":
                return people
            st = t["staff"].set_index("id")
            if "staff_role" in named:  # only through its staff of that role
                people = [s for s in people if st.role.get(s) == named["staff_role"]]
                return st.org.reindex(people).dropna().unique()
            orgs = st.org.reindex(people).dropna()
            return np.union1d(hit.unit.dropna().unique(), orgs.unique())
        if fn == "member":
            l = t["staff_links"]
            m = (l.kind != "supports") & l.unit.notna() & valid(l, named, p)
            m &= l.unit.map(self.kind_of) == first
            if "role" in named:
                m &= l.kind == named["role"]
            return l[m].staff.unique()
        if fn == "has_child":
            u = t["units"]
            return u[(u.kind == first) & u.parent.notna()].parent.unique()
        if fn == "linked":
            l = t["links"]
            l = l[(l.kind == first) & valid(l, named, p)]
            return np.union1d(l["from"].unique(), l["to"].unique())
        if fn == "supported":
            l = t["staff_links"]
            l = l[(l.kind == "supports") & l.target_staff.notna() & valid(l, named, p)]
            return l.target_staff.unique()
        if fn == "mentoring_pair":  # a pair running at some time in the period
            mp = t["mentoring_pairs"]
            mp = mp[(mp.start.isna() | (mp.start <= p.e)) & (mp.end.isna() | (mp.end >= p.s))]
            if pop == "units":  # of its own staff: mentor and mentee both work there
                org = t["staff"].set_index("id").org
                mentee, mentor = mp.mentee.map(org), mp.mentor.map(org)
                return mentee[mentee == mentor].unique()
            sides = [mp[c].to_numpy() for c in ("mentee", "mentor") if named.get("role", c) == c]
            return np.unique(np.concatenate(sides)) if sides else np.array([], dtype=np.int64)
        if fn in ("has_fact", "org_has_fact"):
            f = self.fact(first, p)
            return f[f.notna() & (f != 0)].index.to_numpy()
        d = t["diagnostics"]
        if fn == "diagnosed":
            return d[(d.date >= since) & (d.date <= p.e)].staff.unique()
        if fn == "diagnostic_score":
            d = d[(d.date <= p.e) & ((d.date >= p.s) if named.get("during") else True)]
            v = d.score.fillna(d.level.map(LEVEL_SCORE))
            latest = d.assign(v=v).sort_values(["staff", "competency", "date", "id"])
            return latest.drop_duplicates(["staff", "competency"], keep="last").groupby("staff").v.mean()
        live = self.routes_live(p)
        if fn == "has_route":
            org = t["staff"].set_index("id").org
            ev = t["route_events"]
            first = ev[ev.step.isna()].groupby("route").date.min()
            # developed: signed, else its start, else its first status
            on = live.developed_on.fillna(live.start).fillna(live.id.map(first))
            in_period = on.notna() & (on >= p.s) & (on <= p.e)
            keep = pd.Series(True, index=live.index)
            if named.get("during"):
                keep &= in_period
            if "tutor_kind" in named:
                keep &= live.tutor.map(org).map(self.kind_of) == named["tutor_kind"]
            if "approved" in named:  # not a draft by the end
                keep &= live.status.notna() == bool(named["approved"])
            if "developer_kind" in named:  # developed in the period by a unit of that kind
                unit = live.developer_unit.fillna(live.developer.map(org))
                keep &= in_period & unit.isin(self.structures(named["developer_kind"]))
            return live[keep].staff.unique()
        if fn == "route_completed":
            return live[(live.status == "completed") & (live.date >= since)].staff.unique()
        if fn == "route_course_done":
            ev = t["route_events"]
            ev = ev[(ev.status == "done") & (ev.date >= since) & (ev.date <= p.e) & ev.step.notna()]
            steps = t["route_steps"].set_index("id").resource
            res = t["resources"].set_index("id")
            resource = ev.step.map(steps)
            m = resource.map(res.kind) == "course"
            if "federal_register" in named:
                m &= resource.map(res.federal_register) == int(named["federal_register"])
            return live[live.id.isin(ev[m].route)].staff.unique()
        raise SystemExit(f"catalogue.py: function {fn}() is not translated")

    def longest_gap(self, kind, p):
        """expr_vocab.c's longest_gap(), per unit: the longest run of days
        between the period's first day, the first days of the activities of
        the kind the unit or its structures organised after it and by the
        end, and the period's last day."""
        def make():
            u = self.t["units"]
            parent, level = u.set_index("id").parent, u.set_index("id").level
            a = self.t["activities"]
            day = a.start.fillna(a.end)
            a = a[(a.kind == kind) & (day > p.s) & (day <= p.e) & a.organizer.notna()]
            days = {}
            for org, d in zip(a.organizer, day[a.index]):
                w = org
                while True:  # the organiser and every unit it is a structure of
                    days.setdefault(int(w), set()).add(d)
                    up = parent.get(w)
                    if up != up or (level[w] != "subunit" and level[up] != level[w]):
                        break
                    w = up
            s, e = day_number(pd.Series([p.s, p.e]))
            out = {}
            for unit in u.id:
                pts = np.concatenate(([s], np.sort(day_number(pd.Series(sorted(days.get(int(unit), ())),
                                                                       dtype=object))), [e]))
                out[unit] = float(np.max(np.diff(pts)))
            return pd.Series(out)
        return self.once(("longest_gap", kind, p.s, p.e), make)


def valid(frame, named, p):
    """Links valid at the end, or with during = true at any time in the period."""
    since = p.s if named.get("during") else p.e
    return (frame.start.isna() | (frame.start <= p.e)) & (frame.end.isna() | (frame.end >= since))


class Population:
    """A definition's records at the end of its period: the frame, the unit
    each counts at (org), and its attributes by expression name."""

    def __init__(self, cat, d, p, at=None):
        """at: the day attributes are read as at (a cohort's filter: the period's start)."""
        t, pop = cat.t, d["population"]
        at = at or p
        # survey answers of part-timers count unless the definition says otherwise
        pt = d.get("include_part_time", d["kind"] == "survey_share")
        dep = d.get("include_departed")
        units = t["units"]
        self.cat, self.p, self.pop = cat, p, pop
        if pop == "staff":
            s = t["staff"]
            keep = s.work_start.isna() | (s.work_start <= p.e)  # hired by the end
            if not pt:
                keep &= s.part_time == 0
            if d.get("cohort"):  # on staff at the start or hired in the period
                keep &= s.work_end.isna() | (s.work_end >= p.s)
            elif not dep:
                keep &= s.work_end.isna() | (s.work_end >= p.e)
            s = s[keep].merge(units[["id", "kind", "level", "rural"]].rename(
                columns={"id": "org", "kind": "org_kind", "level": "org_level"}), on="org")
            self.f, self.key = s, s.id.to_numpy()
            self.attrs = {"role": s.role, "category": s.category, "edu_level": s.edu_level,
                          "part_time": s.part_time, "org_kind": s.org_kind, "org_level": s.org_level,
                          "rural": s.rural, "age": lambda: years_to(s.birth_date, at),
                          "experience_years": lambda: years_to(s.work_start, at),
                          "departed": lambda: (s.work_end < at.e).fillna(False).to_numpy(dtype=float)}
        elif pop == "units":
            self.f = units
            self.key = units.id.to_numpy()
            self.attrs = {c: units[c] for c in ("kind", "level", "rural", "site_level")}
        elif pop == "activities":
            a = t["activities"]
            org = a.organizer.fillna(a.provider)
            s0 = a.start.fillna(a.end)
            e0 = a.end.fillna(a.start)
            a = a[(s0 <= p.e) & (e0 >= p.s) & org.notna()]
            self.f = a.assign(org=a.organizer.fillna(a.provider))
            ou = units.set_index("id")
            self.attrs = {c: a[c] for c in ("kind", "level", "hours", "federal_register", "format",
                                            "purpose")}
            self.attrs["organizer_kind"] = a.organizer.map(ou.kind)
            self.attrs["organizer_level"] = a.organizer.map(ou.level)
        else:
            st = t["staff"].set_index("id")
            pw = cat.pw
            org = pw.staff.map(st.org).where(pw.staff.notna(), pw.unit)
            keep = within(pw, p.s, p.e) & org.notna()
            if not pt:
                keep &= pw.staff.isna() | (pw.staff.map(st.part_time) == 0)
            f = pw[keep].assign(org=org[keep])
            self.f = f
            person = {c: f.staff.map(st[c]) for c in ("role", "category", "edu_level", "part_time",
                                                         "birth_date", "work_start")}
            act = t["activities"].set_index("id")
            self.attrs = {"role": f.role, "result": f.result, "score": f.score, "hours": f.hours,
                          "completed": completed_by(f, p.e).to_numpy(dtype=float),
                          "activity.kind": f.akind,
                          "activity.level": f.alevel, "activity.hours": f.activity.map(act.hours),
                          "activity.federal_register": f.federal_register,
                          "activity.purpose": f.purpose,
                          "staff.role": person["role"], "staff.category": person["category"],
                          "staff.edu_level": person["edu_level"],
                          "staff.part_time": person["part_time"],
                          "staff.age": lambda: years_to(person["birth_date"], p),
                          "staff.experience_years": lambda: years_to(person["work_start"], p)}
        self.n = len(self.f)

    def attr(self, name):
        v = self.attrs[name]
        v = v() if callable(v) else v
        if isinstance(v, pd.Series):
            v = v.to_numpy()
        return v.astype(float) if v.dtype != object else v

    def eval(self, node):
        kind = node[0]
        if kind == "num":
            return np.full(self.n, node[1])
        if kind == "text":
            return node[1]
        if kind == "attr":
            return self.attr(node[1])
        if kind == "cmp":
            return compare(node[1], self.eval(node[2]), self.eval(node[3]))
        if kind == "in":
            return pd.Series(self.eval(node[1])).isin(node[2]).to_numpy(dtype=float)
        if kind == "arith":
            a, b = self.eval(node[2]), self.eval(node[3])
            with np.errstate(all="ignore"):
                if node[1] == "/":
                    return np.where(b != 0, a / np.where(b != 0, b, 1), np.nan)
                return {"+": a + b, "-": a - b, "*": a * b}[node[1]]
        if kind == "neg":
            return -self.eval(node[1])
        if kind == "not":
            return (~truth(self.eval(node[1]))).astype(float)
        if kind in ("and", "or"):
            a, b = truth(self.eval(node[1])), truth(self.eval(node[2]))
            return (a & b if kind == "and" else a | b).astype(float)
        return self.call(node)

    def call(self, node):
        _, fn, first, named = node
        if fn == "subject":
            return listed_subject(self.f.subjects, first).astype(float)
        if fn == "has_direction":
            return listed(self.f.directions, first).astype(float)
        if fn == "organised_by":  # the organiser is of the kind or one of its structures
            return np.isin(self.f.organizer, self.cat.structures(first)).astype(float)
        ids = self.cat.fact(first, self.p) if fn == "fact" else \
            self.cat.longest_gap(first, self.p) if fn == "longest_gap" else \
            self.cat.ids(self.pop, fn, first, named, self.p)
        if isinstance(ids, pd.Series):  # a number by record
            return ids.reindex(self.key).to_numpy(dtype=float)
        key = self.f.org.to_numpy() if fn == "org_has_fact" else self.key
        return np.isin(key, ids).astype(float)

    def select(self, text):
        node = parse(text)
        return truth(self.eval(node)) if node else np.ones(self.n, dtype=bool)


def compare(op, a, b):
    if isinstance(b, str) or isinstance(a, str) or getattr(a, "dtype", None) == object:
        a, b = pd.Series(a), (b if isinstance(b, str) else pd.Series(b))
        both = a.notna() & (pd.Series(b).notna() if not isinstance(b, str) else True)
        eq = (a == b) & both
        return (eq if op == "=" else both & ~eq).to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        if op == "!=":
            return (~np.isnan(a) & ~np.isnan(b) & (a != b)).astype(float)
        return {"=": a == b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op].astype(float)


def indicator(cat, d, year):
    """(org, num, den) summed by the unit each record counts at."""
    p, kind = Period(d, year), d["kind"]
    pop = Population(cat, d, p)
    cohort = d.get("cohort")
    # a cohort's members are chosen as at the period's first day
    keep = (Population(cat, d, p, p.at_start()) if cohort else pop).select(d.get("filter"))
    if kind in ("yes_no", "fact_value", "checklist"):
        unit = pop.key
        if kind == "checklist":
            present = np.zeros(pop.n)
            recorded = np.zeros(pop.n)
            for item in d["items"]:
                v = cat.fact(item["key"], p).reindex(unit).to_numpy(dtype=float)
                recorded += ~np.isnan(v)
                present += truth(v)
            keep &= recorded > 0
            num, den = present, np.full(pop.n, float(len(d["items"])))
        else:
            v = cat.fact(d["fact"], p).reindex(unit).to_numpy(dtype=float)
            keep &= ~np.isnan(v)
            num = truth(v).astype(float) if kind == "yes_no" else v
            den = np.ones(pop.n)
        org = unit
    else:
        if kind == "ratio":
            num, den = pop.select(d["numerator"]), pop.select(d["denominator"])
        else:
            num, den = pop.select(d.get("numerator")), np.ones(pop.n, dtype=bool)
        if cohort:  # retained: still working at the period's end
            num = num & (pop.f.work_end.isna() | (pop.f.work_end >= p.e)).to_numpy()
        org = pop.key if d["population"] == "units" else pop.f.org.to_numpy()
        if kind == "survey_share" and d["population"] == "participations":
            # people, not answers: each respondent's latest answer (by date, then id)
            f = pop.f
            who = np.where(f.staff.notna(), f.staff, -1 - f.unit.fillna(0))
            rows = pd.DataFrame({"who": who, "e": f.e.to_numpy(), "id": f.id.to_numpy()})[keep]
            last = rows.sort_values(["e", "id"]).drop_duplicates("who", keep="last").index
            keep = keep & np.isin(np.arange(pop.n), last)
    frame = pd.DataFrame({"org": org[keep], "num": np.asarray(num, dtype=float)[keep],
                          "den": np.asarray(den, dtype=float)[keep]})
    if d.get("aggregation") == "distinct":
        # distinct activities per subtree (src/kpi/distinct.c), rolled up here
        frame = frame.assign(act=pop.f.activity.to_numpy()[keep]).merge(
            cat.t["anc"], left_on="org", right_on="unit")
        num = frame[frame.num != 0].groupby("up").act.nunique()
        out = frame.groupby("up").den.sum().to_frame().assign(num=num).fillna({"num": 0.0})
        return out.reset_index().rename(columns={"up": "org"}).assign(ind=d["id"], rolled=True)
    return frame.groupby("org")[["num", "den"]].sum().reset_index().assign(ind=d["id"], rolled=False)


def ancestors(units):
    parent = dict(zip(units["id"], units["parent"]))
    unit, up = [], []
    for u in units["id"]:
        a = u
        while a == a:  # not NaN
            unit.append(u)
            up.append(int(a))
            a = parent.get(a, float("nan"))
    return pd.DataFrame({"unit": unit, "up": up})


def compute(t, defs, year):
    cat = Catalogue(t, year)
    parts = [indicator(cat, d, year) for d in defs]
    counts = [d["id"] for d in defs if d["kind"] == "count"]
    ids = t["units"].id
    parts += [pd.DataFrame({"org": ids, "num": 0.0, "den": 0.0, "ind": i, "rolled": False})
              for i in counts]
    allp = pd.concat(parts, ignore_index=True)
    up = allp.merge(t["anc"], left_on="org", right_on="unit")
    up = up[~up.rolled.astype(bool) | (up.up == up.unit)]
    out = up.groupby(["ind", "up"])[["num", "den"]].sum().reset_index()
    return out[(out.den > 0) | out.ind.isin(counts)]


def main(argv):
    folder, year, out_path, repeat, paths = argv[0], int(argv[1]), argv[2], int(argv[3]), argv[4:]
    with open(f"{folder}/tables.json", encoding="utf-8") as f:
        schema = json.load(f)
    defs = load_definitions(paths)
    t0 = time.perf_counter()
    tables = load(folder, schema)
    tables["anc"] = ancestors(tables["units"])
    load_s = time.perf_counter() - t0
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = compute(tables, defs, year)
        times.append(time.perf_counter() - t0)
    result.to_csv(out_path, header=False, index=False, columns=["ind", "up", "num", "den"])
    print(json.dumps({"load_s": load_s, "compute_s": times}))
