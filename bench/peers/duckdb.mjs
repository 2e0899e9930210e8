// Peer 3: DuckDB (the npm package @duckdb/node-api, engine included) runs
// a query (five.sql, or the catalogue's from catalogue.py) on the tables of
// the libmms file, loaded from the CSV files bench/run dumps with the
// sqlite3 program.
//   node duckdb.mjs CSV_DIR QUERY.sql OUT.csv THREADS REPEAT
// Prints {"load_s": ..., "compute_s": [...]} and writes the rows of the
// last run to OUT.csv for the equality check.
import { writeFileSync, readFileSync } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";

const [dir, queryPath, outPath, threads, repeat] = process.argv.slice(2);
// The tables and their types, as bench/run dumped them (tables.json).
const tables = JSON.parse(readFileSync(`${dir}/tables.json`, "utf8"));

const instance = await DuckDBInstance.create(":memory:", { threads: String(threads) });
const con = await instance.connect();
let t = performance.now();
for (const [name, columns] of Object.entries(tables)) {
  const typed = columns.map(([column, type]) => `"${column}" ${type}`).join(", ");
  await con.run(`CREATE TABLE ${name} (${typed})`);
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
