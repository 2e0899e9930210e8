"""Peer 2: pandas (Debian's, under /usr/bin/python3) computes the five
indicators of bench/README.md for every unit from the CSV files bench/run
dumps with the sqlite3 program, by the rules five.sql spells out.

    /usr/bin/python3 pandas_peer.py CSV_DIR YEAR OUT.csv REPEAT

Prints {"load_s": ..., "compute_s": [...]} and writes the rows of the last
run (indicator,unit,numerator,denominator) to OUT.csv.
"""
import datetime
import json
import sys
import time

import pandas as pd

from catalogue_pandas import ancestors, load

LEVELS = {"below_basic": 40.0, "basic": 70.0, "elevated": 85.0, "high": 95.0}


def compute(t, year):
    start, end = f"{year}-01-01", f"{year}-12-31"
    end_day = datetime.date(year, 12, 31)
    from3 = (end_day - datetime.timedelta(days=int(3 * 365.2425) - 1)).isoformat()
    units, staff = t["units"], t["staff"]
    base = staff[(staff.part_time == 0) & (staff.work_end.isna() | (staff.work_end >= end))
                 & (staff.work_start.isna() | (staff.work_start <= end))]
    base = base.assign(org_kind=base.org.map(units.set_index("id").kind))

    act = t["activities"].rename(columns={"id": "activity", "kind": "akind",
                                          "start": "astart", "end": "aend"})
    pw = t["participations"].merge(act, on="activity", how="inner")
    s0, e0 = pw.start.fillna(pw.astart), pw.end.fillna(pw.aend)
    pw = pw.assign(s=s0.fillna(e0), e=e0.fillna(s0))

    def window(frame, lo):
        return frame[(frame.s <= end) & (frame.e >= lo)]

    mentees = set(window(pw[(pw.akind == "mentoring") & (pw.role == "mentee")], start).staff)
    links = t["staff_links"].merge(units[["id", "kind"]].rename(columns={"id": "unit", "kind": "ukind"}),
                                   on="unit")
    valid = links.start.isna() | (links.start <= end)
    regional = set(links[valid & (links.end.isna() | (links.end >= end)) & (links.kind != "supports")
                         & (links.ukind == "methodical_active")].staff)
    valid &= links.end.isna() | (links.end >= start)  # at any time in the period
    members = set(links[valid & (links.kind != "supports") & links.ukind.isin(
        ["community", "municipal_association", "school_association"])].staff)
    sl = t["staff_links"]
    members |= set(sl[(sl.kind == "supports") & sl.target_staff.notna()
                      & (sl.start.isna() | (sl.start <= end))
                      & (sl.end.isna() | (sl.end >= start))].target_staff.astype(int))

    diag = t["diagnostics"]
    diag = diag[(diag.date >= start) & (diag.date <= end)]
    value = diag.score.fillna(diag.level.map(LEVELS).fillna(95.0))
    latest = diag.assign(v=value).sort_values(["staff", "competency", "date", "id"])
    latest = latest.drop_duplicates(["staff", "competency"], keep="last")
    mean = latest.groupby("staff").v.mean()
    diagnosed = set(diag.staff)
    federal = set(window(pw[(pw.akind == "course") & (pw.federal_register == 1)
                            & (pw.completed == 1) & (pw.e <= end)], from3).staff)
    proj = window(pw[pw.akind == "innovation_project"], start)
    innovating = set(proj.unit.dropna().astype(int)) | set(
        staff.set_index("id").org.reindex(proj.staff.dropna().astype(int)).dropna().astype(int))

    parts = []

    def per_org(ind, frame, num, den=None):
        g = pd.DataFrame({"org": frame.org.values, "num": num.astype(int).values,
                          "den": 1 if den is None else den.astype(int).values})
        parts.append(g.groupby("org")[["num", "den"]].sum().reset_index().assign(ind=ind))

    teachers = base[base.role == "teacher"]
    per_org("moscow.7", base, base.role == "teacher",
            ((base.role == "methodist") & base.org_kind.isin(["cnppm", "methodical_active"]))
            | base.id.isin(regional))
    age = year - base.birth_date.str[:4].astype(float)
    exp = year - base.work_start.str[:4].astype(float)
    young = base[(base.role == "teacher") & (age < 35) & (exp < 3)]
    per_org("moscow.8", young, young.id.isin(mentees) | young.id.isin(members))
    diag_base = base[base.role.isin(["teacher", "manager"]) & base.id.isin(diagnosed)]
    per_org("moscow.3_level", diag_base, diag_base.id.map(mean).fillna(-1) >= 60)
    per_org("bench.federal_course_3y", teachers, teachers.id.isin(federal))
    orgs = units[units.kind.isin(["school", "preschool", "supplementary"])].rename(columns={"id": "org"})
    per_org("murom.P5", orgs, orgs.org.isin(innovating))

    allp = pd.concat(parts, ignore_index=True)
    up = allp.merge(t["anc"], left_on="org", right_on="unit")
    out = up.groupby(["ind", "up"])[["num", "den"]].sum().reset_index()
    return out[out.den > 0].sort_values(["ind", "up"])


def main():
    folder, year, out_path, repeat = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    t0 = time.perf_counter()
    with open(f"{folder}/tables.json", encoding="utf-8") as f:
        tables = load(folder, json.load(f))
    tables["anc"] = ancestors(tables["units"])
    load_s = time.perf_counter() - t0
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = compute(tables, year)
        times.append(time.perf_counter() - t0)
    result.to_csv(out_path, header=False, index=False, columns=["ind", "up", "num", "den"])
    print(json.dumps({"load_s": load_s, "compute_s": times}))


if __name__ == "__main__":
    main()
