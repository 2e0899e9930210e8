#!/bin/sh
# The mms program: subcommands, --help, exit codes and located errors.
# usage: test_cli.sh MMS DATA_DIR TEST_DATA_DIR WORK_DIR
set -u
mms=$1 data=$2 tdata=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
passed=0 failed=0
check() { # check NAME EXPECTED_EXIT COMMAND...
	name=$1 want=$2; shift 2
	"$@" >out.txt 2>err.txt; got=$?
	if [ "$got" -eq "$want" ]; then passed=$((passed + 1))
	else failed=$((failed + 1)); echo "FAIL $name: exit $got, want $want"; cat err.txt; fi
}
grep_in() { # grep_in NAME FILE PATTERN
	if grep -q -- "$3" "$2"; then passed=$((passed + 1))
	else failed=$((failed + 1)); echo "FAIL $1: no '$3' in $2"; cat "$2"; fi
}
check "no arguments" 2 "$mms"
check "help" 0 "$mms" --help
grep_in "help lists demo" out.txt "demo"
check "version" 0 "$mms" --version
check "unknown command" 2 "$mms" frobnicate
for c in init import validate export snapshot show stats typology network kpi sample clusters route framework demo; do
	check "$c --help" 0 "$mms" "$c" --help
	grep_in "$c --help usage" out.txt "usage: mms $c"
done
check "demo" 0 "$mms" demo --db demo.sqlite --data "$data"
cp out.txt demo-out.txt
grep_in "demo summary" out.txt "Typology of the methodical system"
grep_in "demo counts schools" out.txt "school  *16"
check "init" 0 "$mms" init empty.sqlite
printf '{"units": [{"code": "X", "name": "X", "level": "municipal", "kind": "castle"}]}' >bad.json
check "validate refuses bad data" 1 "$mms" validate empty.sqlite bad.json
grep_in "validate names the location" err.txt "/units/0/kind"
check "import refuses bad data" 1 "$mms" import empty.sqlite bad.json
check "import of a missing file" 3 "$mms" import empty.sqlite missing.json
check "show needs an existing database" 3 "$mms" show missing.sqlite X
check "import demo" 0 "$mms" import empty.sqlite "$data/demo/murom.json"
check "show a unit" 0 "$mms" show empty.sqlite MUR-CRPK
grep_in "show path" out.txt "VLA-VIRO > MUR-CRPK"
check "show an unknown unit" 1 "$mms" show empty.sqlite NOPE
grep_in "show names the code" err.txt "NOPE"
check "stats" 0 "$mms" stats empty.sqlite MUR-CRPK
grep_in "stats json" out.txt '"preschool":33'
check "typology" 0 "$mms" typology empty.sqlite VLA-VIRO
grep_in "typology" out.txt "three_level"
check "network dot" 0 "$mms" network empty.sqlite MUR-SCH-01 --dot --as-of 2022-01-01
grep_in "dot" out.txt "digraph network"
check "network without --dot" 2 "$mms" network empty.sqlite
check "export json" 0 "$mms" export empty.sqlite export.json
check "export csv" 0 "$mms" export empty.sqlite csvdir --csv --delimiter ";"
check "csv re-import" 0 "$mms" import again.sqlite csvdir
"$mms" export again.sqlite again.json >/dev/null 2>&1
if cmp -s export.json again.json; then passed=$((passed + 1))
else failed=$((failed + 1)); echo "FAIL csv round trip differs"; fi
check "kpi table" 0 "$mms" kpi empty.sqlite MUR-CRPK --from 2021 --to 2023 --indicators murom.P5
grep_in "kpi target" out.txt "murom.P5 *2021 .* 50.00 "
check "kpi csv" 0 "$mms" kpi empty.sqlite MUR-CRPK --year 2023 --format csv
grep_in "kpi csv header" out.txt "indicator,year,value,numerator,denominator,target,status"
check "kpi json" 0 "$mms" kpi empty.sqlite VLA-VIRO --year 2023 --format json --indicators moscow.7
grep_in "kpi json" out.txt '"indicator":"moscow.7"'
check "kpi unknown unit" 1 "$mms" kpi empty.sqlite NOPE --year 2023
check "kpi unknown indicator" 1 "$mms" kpi empty.sqlite MUR-CRPK --year 2023 --indicators nope
check "kpi without a year" 2 "$mms" kpi empty.sqlite MUR-CRPK
printf '{"indicators": [{"id": "x", "name_ru": "x", "kind": "share", "population": "staff", "numerator": "agee < 3"}]}' >bad-defs.json
check "kpi bad definitions" 1 "$mms" kpi empty.sqlite MUR-CRPK --year 2023 --definitions bad-defs.json
grep_in "kpi bad definitions located" err.txt "bad-defs.json:/indicators/0/numerator: column 1"
grep_in "demo kpi section" demo-out.txt "murom.P5"
grep_in "demo report" demo-out.txt "wrote demo-report.xlsx"
check "kpi xlsx" 0 "$mms" kpi empty.sqlite MUR-CRPK --from 2021 --to 2025 --format xlsx --output r.xlsx
if [ -s r.xlsx ] && [ -s demo-report.xlsx ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL no xlsx written"; fi
check "kpi xlsx needs --output" 2 "$mms" kpi empty.sqlite MUR-CRPK --year 2023 --format xlsx
check "sample" 0 "$mms" sample empty.sqlite VLA-VIRO --year 2023 --filter 'role = "teacher"' --estimate murom.pd_every_3_years
grep_in "sample strata" out.txt "^school "
grep_in "sample estimate" out.txt "95% CI"
check "sample unfillable" 1 "$mms" sample empty.sqlite --year 2023 --strata college=17,pd=7,preschool=11,school=65
grep_in "sample refusal" err.txt "stratum college cannot be filled"
check "clusters" 0 "$mms" clusters empty.sqlite VLA-VIRO --year 2023 --indicators murom.P5:2,murom.P9
grep_in "clusters explain" out.txt "cluster 1 of 1"
check "clusters without indicators" 2 "$mms" clusters empty.sqlite --year 2023
grep_in "demo routes" demo-out.txt "Individual routes for 2024"
check "route build" 0 "$mms" route build demo.sqlite MUR-T0005 --as-of 2023-12-31 --start 2024-01-01 --end 2024-12-31
check "route batch" 0 "$mms" route batch demo.sqlite MUR-SCH-01 --as-of 2023-12-31 --start 2024-01-01 --end 2024-12-31 --save --prefix B-
grep_in "route batch summary" out.txt "route(s); "
first=$(sqlite3 demo.sqlite "SELECT code FROM routes WHERE code LIKE 'B-%' ORDER BY id LIMIT 1" 2>/dev/null || true)
if [ -n "$first" ]; then
	check "route show" 0 "$mms" route show demo.sqlite "$first"
	grep_in "route show draft" out.txt "draft"
	check "route progress before approval" 1 "$mms" route progress demo.sqlite "$first" --status completed --date 2024-02-01
	grep_in "route transition refused" err.txt "cannot become completed from draft"
	check "route approve" 0 "$mms" route approve demo.sqlite "$first" --date 2024-01-20 --evidence "приказ № 3"
	check "route progress" 0 "$mms" route progress demo.sqlite "$first" --status active --date 2024-01-25
	check "route document" 0 "$mms" route show demo.sqlite "$first" --xlsx route.xlsx
	if [ -s route.xlsx ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL no route.xlsx"; fi
fi
check "route unknown subcommand" 2 "$mms" route fly demo.sqlite
check "route build unknown person" 1 "$mms" route build demo.sqlite NOPE --as-of 2023-12-31
check "framework export-case" 0 "$mms" framework export-case demo.sqlite teachers
cp out.txt teachers-case.json
grep_in "case items" teachers-case.json "CFItems"
check "framework import-case" 0 "$mms" framework import-case case.sqlite teachers-case.json --name teachers
check "framework import-case twice" 1 "$mms" framework import-case case.sqlite teachers-case.json --name teachers
grep_in "case duplicate" err.txt "already used"
check "stdout export" 0 "$mms" export again.sqlite -
grep_in "stdout export" out.txt '"format": "libmms"'
check "pseudonymise needs a key" 2 "$mms" export demo.sqlite - --pseudonymise
grep_in "pseudonymise names the variable" err.txt "MMS_PSEUDONYM_KEY"
check "pseudonymise refuses a short key" 2 env MMS_PSEUDONYM_KEY=short "$mms" export demo.sqlite - --pseudonymise
check "pseudonymised export" 0 env MMS_PSEUDONYM_KEY=region-33-secret-key "$mms" export demo.sqlite - --pseudonymise
grep_in "pseudonymised staff" out.txt '"code":"P[0-9a-f]\{16\}","name":"P[0-9a-f]\{16\}"'
if grep -q "Фёдорова Мария" out.txt; then failed=$((failed + 1)); echo "FAIL a name survives pseudonymisation"
else passed=$((passed + 1)); fi
check "scope: a unit inside" 0 "$mms" --scope MUR-SCH-01 show demo.sqlite MUR-SCH-01
check "scope: a unit outside is refused" 4 "$mms" --scope MUR-SCH-01 show demo.sqlite MUR-SCH-02
grep_in "scope: the refusal names the scope" err.txt 'outside the scope of unit "MUR-SCH-01"'
check "scope: an unknown scope" 1 "$mms" --scope NO-SUCH show demo.sqlite MUR-SCH-01
check "scope: export" 0 "$mms" --scope MUR-SCH-01 export demo.sqlite -
grep_in "scope: export holds the scope" out.txt '"MUR-SCH-01"'
if grep -q '"MUR-SCH-02"' out.txt; then failed=$((failed + 1)); echo "FAIL a scoped export holds a unit outside"
else passed=$((passed + 1)); fi
check "scope: kpi outside is refused" 4 "$mms" --scope MUR-SCH-01 kpi demo.sqlite MUR-CRPK --year 2024
check "snapshot" 0 "$mms" snapshot demo.sqlite
grep_in "snapshot says where" out.txt "demo.sqlite-snapshot"
check "show from the snapshot" 0 "$mms" show demo.sqlite MUR-CRPK
grep_in "show from the snapshot: the path" out.txt "VLA-VIRO > MUR-CRPK"
check "snapshot of a missing database" 3 "$mms" snapshot missing.sqlite
# Imports that never drop data silently (docs/reliability.md).
check "strict: init" 0 "$mms" init strict.sqlite
printf '{"units": [{"code": "M", "name": "ММС", "level": "municipal", "kind": "municipal_service"},
{"code": "S", "name": "Школа", "level": "institutional", "kind": "school", "parent": "M"}],
"staff": [{"code": "T1", "name": "Анна", "org": "S", "role": "teacher"}]}' >two.json
check "strict: import" 0 "$mms" import strict.sqlite two.json
grep_in "strict: import says what it imported" out.txt "two.json: imported 2 units, 1 staff"
printf '{}' >nothing.json
check "strict: import of nothing" 0 "$mms" import strict.sqlite nothing.json
grep_in "strict: import of nothing says so" out.txt "imported 0 records"
printf '{"staff": [{"code": "T2", "name": "a", "org": "S", "role": "teacher", "name": "b"}]}' >dupkey.json
check "strict: a key given twice" 1 "$mms" import strict.sqlite dupkey.json
grep_in "strict: a key given twice, located" err.txt '/staff/0/name: the key "name" is given more than once'
printf '{"units": [{"code": "\\u041c", "name": "x", "level": "municipal", "kind": "municipal_service"}]}' >twin.json
check "strict: a look-alike code" 1 "$mms" import strict.sqlite twin.json
grep_in "strict: a look-alike code names both" err.txt 'unit code "М" conflicts with unit "M"'
mkdir misnamed && printf 'code,name,org,role\nT3,n,S,teacher\n' >misnamed/Staff.csv
check "strict: a misnamed CSV file" 1 "$mms" import strict.sqlite misnamed
grep_in "strict: a misnamed CSV file, expected" err.txt "expected units.csv, links.csv, staff.csv"
grep_in "strict: a misnamed CSV file, found" err.txt "found Staff.csv"
mkdir emptydir
check "strict: a CSV folder of no known file" 1 "$mms" import strict.sqlite emptydir
grep_in "strict: a CSV folder of no known file, found" err.txt "found nothing"
mkfifo pipe.json
check "strict: a FIFO is refused at once" 3 timeout 20 "$mms" import strict.sqlite pipe.json
grep_in "strict: a FIFO, why" err.txt "not a regular file"
ln -s /dev/zero zero.json
check "strict: a link to /dev/zero is refused at once" 3 timeout 20 "$mms" import strict.sqlite zero.json
grep_in "strict: /dev/zero, why" err.txt "not a regular file"
"$mms" export strict.sqlite strict-after.json >/dev/null 2>&1
grep_in "strict: refused imports changed nothing" strict-after.json '"T1"'
if grep -q '"T2"\|"T3"' strict-after.json; then failed=$((failed + 1)); echo "FAIL a refused import left records"
else passed=$((passed + 1)); fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
