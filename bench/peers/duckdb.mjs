// Peer 3: DuckDB (the npm package @duckdb/node-api, engine included) runs
// five.sql on the tables of the libmms file, loaded from the CSV files
// bench/run dumps with the sqlite3 program.
//   node duckdb.mjs CSV_DIR QUERY.sql OUT.csv THREADS REPEAT
// Prints {"load_s": ..., "compute_s": [...]} and writes the rows of the
// last run to OUT.csv for the equality check.
import { writeFileSync, readFileSync } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";

const [dir, queryPath, outPath, threads, repeat] = process.argv.slice(2);
// The columns five.sql reads, typed as SQLite stores them (dates as text).
const tables = {
  units: "id INTEGER, kind VARCHAR, parent INTEGER",
  staff: "id INTEGER, org INTEGER, role VARCHAR, birth_date VARCHAR, work_start VARCHAR, " +
    "part_time INTEGER, work_end VARCHAR",
  staff_links: "staff INTEGER, unit INTEGER, kind VARCHAR, start VARCHAR, \"end\" VARCHAR",
  activities: "id INTEGER, kind VARCHAR, federal_register INTEGER, start VARCHAR, \"end\" VARCHAR",
  participations: "activity INTEGER, staff INTEGER, unit INTEGER, role VARCHAR, " +
    "completed INTEGER, start VARCHAR, \"end\" VARCHAR",
  diagnostics: "id INTEGER, staff INTEGER, competency INTEGER, date VARCHAR, score DOUBLE, " +
    "level VARCHAR",
};

const instance = await DuckDBInstance.create(":memory:", { threads: String(threads) });
const con = await instance.connect();
let t = performance.now();
for (const [name, columns] of Object.entries(tables)) {
  await con.run(`CREATE TABLE ${name} (${columns})`);
  await con.run(`COPY ${name} FROM '${dir}/${name}.csv' (HEADER, NULLSTR '')`);
}
const load = (performance.now() - t) / 1000;
const sql = readFileSync(queryPath, "utf8");
const times = [];
let rows = [];
for (let r = 0; r < Number(repeat); r++) {
  t = performance.now();
  const reader = await con.runAndReadAll(sql);
  times.push((performance.now() - t) / 1000);
  rows = reader.getRows();
}
writeFileSync(outPath, rows.map((row) => row.map(String).join(",")).join("\n") + "\n");
console.log(JSON.stringify({ load_s: load, compute_s: times }));
