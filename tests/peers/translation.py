#!/usr/bin/python3
"""The catalogue translator of the benchmark (bench/peers/catalogue.py)
against libmms, on constructs.json: definitions that use every construct of
the expression language, every population and kind, the include flags and
the academic period, which the built-in catalogue leaves out. The Murom
demo with its routes moved on (bench/run's municipal data), for 2023 and
2024; SQL through sqlite3, pandas, and DuckDB when installed; every value
must equal libmms's.

    translation.py BUILD_DIR WORK_DIR
"""
import argparse
import os
import subprocess
import sys
from importlib.machinery import SourceFileLoader

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
bench = SourceFileLoader("bench_run", os.path.join(ROOT, "bench", "run")).load_module()
CONSTRUCTS = os.path.join(HERE, "constructs.json")
TRANSLATOR = os.path.join(ROOT, "bench", "peers", "catalogue.py")


def main():
    build, work = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    os.makedirs(work, exist_ok=True)
    args = argparse.Namespace(scale="municipal", seed=1, build=build)
    db, _ = bench.database(args, os.path.join(work, "data"))
    folder, _ = bench.dump_csv(db, work)
    definitions = bench.DEFINITIONS[:-1] + [CONSTRUCTS]
    failed = []
    for year in (2023, 2024):
        mine = os.path.join(work, f"libmms-{year}.csv")
        bench.run([os.path.join(build, "bin", "bench"), db, "--year", str(year), "--only",
                   "catalogue", "--definitions", CONSTRUCTS, "--catalogue-values", mine])
        expected = bench.values(mine)
        if year == 2024 and not any(k[0] == "t.routes" and v[0] for k, v in expected.items()):
            failed.append("the data: no route counted in 2024")
        if year == 2024 and not any(k[0] == "t.developed" and v[0] for k, v in expected.items()):
            failed.append("the data: no route counted by its developer in 2024")
        if not any(k[0] == "t.mentoring_units" and v[0] for k, v in expected.items()):
            failed.append(f"the data: no school running mentoring pairs of its own in {year}")
        query = bench.run(["/usr/bin/python3", TRANSLATOR, "sql", str(year)] + definitions)
        res, path = bench.sqlite_peer(db, query, work, 1)
        results = {"sqlite3": bench.equal(path, expected)}
        path = os.path.join(work, f"pandas-{year}.csv")
        bench.run(["/usr/bin/python3", TRANSLATOR, "pandas", folder, str(year), path, "1"] +
                  definitions)
        results["pandas"] = bench.equal(path, expected)
        for name, r in bench.duckdb(folder, query, work, expected, 1, f"t{year}").items():
            results[name] = r.get("equal", "skipped")
        print(f"{year}: {len(expected)} values; " +
              ", ".join(f"{k}: {'equal' if v is True else v}" for k, v in results.items()))
        failed += [f"{k} {year}" for k, v in results.items() if v is False]
    if failed:
        print("values differ from libmms's: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
