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
for c in init import validate export snapshot show stats typology network kpi programme sample clusters route framework update delete history demo; do
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
# programmes: the demo adopts Murom's at the centre and the ЦНППМ's at the region
check "kpi of the adopted programmes" 0 "$mms" kpi empty.sqlite MUR-CRPK --year 2023
grep_in "kpi groups by criterion" out.txt "^К2 *murom.P5 *2023"
if grep -q "cnppm" out.txt; then failed=$((failed + 1)); echo "FAIL the centre is judged by the ЦНППМ's programme"; else passed=$((passed + 1)); fi
check "kpi at the region" 0 "$mms" kpi empty.sqlite VLA-VIRO --year 2023
grep_in "the region has the ЦНППМ's indicators" out.txt "cnppm.events"
check "kpi of a named programme" 0 "$mms" kpi empty.sqlite MUR-SCH-01 --year 2023 --programme murom.2021 --format json
grep_in "kpi json criterion" out.txt '"criterion":"К1"'
grep_in "kpi json gap" out.txt '"gap":'
grep_in "kpi json unit" out.txt '"unit":"MUR-SCH-01"'
check "kpi csv of a programme" 0 "$mms" kpi empty.sqlite MUR-CRPK --year 2023 --programme murom.2021 --format csv
grep_in "kpi csv criterion" out.txt "^murom.P7,2023,.*,MUR-CRPK,murom.2021,К3$"
check "kpi unknown programme" 1 "$mms" kpi empty.sqlite MUR-CRPK --year 2023 --programme murom.2012
grep_in "kpi unknown programme named" err.txt 'no programme "murom.2012"'
check "kpi from the roadmap's tasks" 0 "$mms" kpi empty.sqlite MUR-CRPK --year 2021 --indicators murom.P1,murom.P3
grep_in "П1: 23 of 25 roadmap tasks on time" out.txt "murom.P1 *2021 *92.00 *23/25"
grep_in "П3: 19 of 20 PD plan tasks on time" out.txt "murom.P3 *2021 *95.00 *19/20"
check "kpi by a document's id" 0 "$mms" kpi empty.sqlite MUR-CRPK --year 2023 --indicators murom.pd_every_3_years
check "programme list" 0 "$mms" programme list
grep_in "programme list murom" out.txt "^murom.2021 *2021-2025"
check "programme show" 0 "$mms" programme show murom.2021
grep_in "programme show criterion" out.txt "К5  Закрепляемость молодых специалистов"
grep_in "programme show trajectory" out.txt "2021: 65 2022: 70 2023: 75 2024: 80 2025: 85"
check "programme show unknown" 1 "$mms" programme show murom.2012
check "programme without a subcommand" 2 "$mms" programme
printf '{"programmes": [{"id": "p", "name_ru": "П", "first_year": 2023, "last_year": 2023, "criteria": [{"id": "К", "name_ru": "К", "indicators": ["nope"]}]}]}' >bad-prog.json
check "programme bad definitions" 1 "$mms" programme list --programmes bad-prog.json
grep_in "programme bad definitions located" err.txt "bad-prog.json:/programmes/0/criteria/0/indicators/0"
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
grep_in "demo fit table" demo-out.txt 'preschool,"старший дошкольный возраст",'
check "route batch fit table" 0 "$mms" route batch demo.sqlite --as-of 2023-12-31 --start 2024-01-01 --end 2024-12-31 --fit-table
grep_in "fit table header" out.txt "edu_level,subject,routes,steps,course,internship,mentoring,association"
grep_in "fit table maths" out.txt 'school,"математика",'
if grep '^[a-z]*,"' out.txt | grep -qv ',0$'; then failed=$((failed + 1)); echo "FAIL fit table has misfits"
else passed=$((passed + 1)); fi
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
check "route build with a developer" 0 "$mms" route build demo.sqlite MUR-T0005 --as-of 2023-12-31 --developer MUR-CRPK-M1 --save --prefix D-
check "route list" 0 "$mms" route list demo.sqlite
grep_in "route list header" out.txt "^developer,developer_name,developer_unit,unit_kind,route,staff,developed_on"
grep_in "route list by developer" out.txt '^"MUR-CRPK-M1",.*,"MUR-CRPK",municipal_service,"D-MUR-T0005","MUR-T0005",2023-12-31,'
check "route list of a year" 0 "$mms" route list demo.sqlite --year 2024
if grep -q "D-MUR-T0005" out.txt; then failed=$((failed + 1)); echo "FAIL route list --year 2024 shows a 2023 route"; else passed=$((passed + 1)); fi
check "route build unknown developer" 1 "$mms" route build demo.sqlite MUR-T0005 --as-of 2023-12-31 --developer NOPE
check "route list bad year" 2 "$mms" route list demo.sqlite --year twenty
# signatures once per revision (docs/routes.md, "Who builds, agrees and approves")
check "route agree" 0 "$mms" route agree demo.sqlite D-MUR-T0005 --by MUR-SCH-01-DIR --on 2024-01-05
check "route acknowledge before approval" 1 "$mms" route acknowledge demo.sqlite D-MUR-T0005 --on 2024-01-06
grep_in "route acknowledge before approval, why" err.txt "is not approved"
check "route approve by" 0 "$mms" route approve demo.sqlite D-MUR-T0005 --by MUR-CRPK-M2 --on 2024-01-10
grep_in "route approve by, said" out.txt "D-MUR-T0005: approved by MUR-CRPK-M2"
check "route approve moved the status" 0 "$mms" route show demo.sqlite D-MUR-T0005
grep_in "route approve moved the status, shown" out.txt "D-MUR-T0005 (MUR-T0005): approved"
grep_in "route show, what it was built on" out.txt "built on: the deficits frozen when it was saved"
grep_in "route show, a frozen deficit" out.txt '^  deficit "[^"]*",[0-9.]*,\(high\|medium\|minimal\),'
check "route approve twice" 1 "$mms" route approve demo.sqlite D-MUR-T0005 --by MUR-CRPK-M2 --on 2024-01-11
grep_in "route approve twice, why" err.txt "already approved: revise it"
check "route acknowledge" 0 "$mms" route acknowledge demo.sqlite D-MUR-T0005 --on 2024-01-12
check "route revise" 0 "$mms" route revise demo.sqlite D-MUR-T0005 --by MUR-CRPK-M2 --on 2024-02-01 --reason "замена курса"
grep_in "route revise, number" out.txt "revision 1"
check "route approve the revision" 0 "$mms" route approve demo.sqlite D-MUR-T0005 --by MUR-CRPK-M2 --on 2024-02-02
check "route agree needs --by" 2 "$mms" route agree demo.sqlite D-MUR-T0005
# an approved route's steps change only after a revision
printf '{"route_steps": [{"route": "D-MUR-T0005", "resource": "GMO-01", "order": 9}]}' >step.json
check "step added to an approved route" 1 "$mms" import demo.sqlite step.json
grep_in "step added to an approved route, why" err.txt 'route "D-MUR-T0005" was approved on 2024-02-02: revise it'
check "route revised for a new step" 0 "$mms" route revise demo.sqlite D-MUR-T0005 --on 2024-02-03 --reason "ГМО"
check "step added to the revised route" 0 "$mms" import demo.sqlite step.json
check "route revise unknown route" 1 "$mms" route revise demo.sqlite NOPE
# the region's view (docs/routes.md, "The region's view")
check "route map" 0 "$mms" route map demo.sqlite VLA-VIRO --year 2024
grep_in "route map header" out.txt "^competency,competency_name,municipality,subject,edu_level,high,medium,minimal"
grep_in "route map row" out.txt '^"T\.[A-Z]*\.[0-9]*",".*","MUR-CRPK",".*","preschool",[0-9]*,[0-9]*,[0-9]*$'
check "route map resources" 0 "$mms" route map demo.sqlite VLA-VIRO --year 2024 --table resources
grep_in "route map resources header" out.txt "^resource,resource_name,kind,steps,done,failed,completion,covered,closed,effect"
check "route map json" 0 "$mms" route map demo.sqlite VLA-VIRO --year 2024 --format json
grep_in "route map json tutors" out.txt '"tutors":'
check "route map xlsx" 0 "$mms" route map demo.sqlite VLA-VIRO --year 2024 --format xlsx --output map.xlsx
if [ -s map.xlsx ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL no map.xlsx"; fi
check "route map xlsx needs --output" 2 "$mms" route map demo.sqlite VLA-VIRO --year 2024 --format xlsx
grep_in "demo writes the map's workbook" demo-out.txt "wrote demo-map.xlsx"
check "route map bad table" 2 "$mms" route map demo.sqlite VLA-VIRO --year 2024 --table people
check "route map needs a year" 2 "$mms" route map demo.sqlite VLA-VIRO
check "route map unknown unit" 1 "$mms" route map demo.sqlite NOPE --year 2024
check "route tutors" 0 "$mms" route tutors demo.sqlite VLA-VIRO --year 2024
grep_in "route tutors row" out.txt '^"MUR-CRPK-M1","[^"]*","MUR-CRPK","municipal_service",[0-9]*,1,0,[0-9]*$'
check "route federal" 0 "$mms" route federal demo.sqlite VLA-VIRO --year 2024
grep_in "route federal field" out.txt '"field":"routes_developed_share"'
grep_in "route federal workers" out.txt '"pedagogical_workers":'
check "route federal csv" 0 "$mms" route federal demo.sqlite VLA-VIRO --year 2024 --format csv
grep_in "route federal csv events" out.txt '^"regional_events","cnppm.events",'
check "route federal bad format" 2 "$mms" route federal demo.sqlite VLA-VIRO --year 2024 --format xml
check "route mentoring" 0 "$mms" route mentoring demo.sqlite MUR-CRPK --year 2023
grep_in "route mentoring school with its act" out.txt '^"MUR-SCH-13",".*",1,1,[0-9]*,"Положение о системе'
grep_in "demo prints the deficit map" demo-out.txt "The region's deficit map, 2024"
check "framework export-case" 0 "$mms" framework export-case demo.sqlite teachers
cp out.txt teachers-case.json
grep_in "case items" teachers-case.json "CFItems"
check "framework import-case" 0 "$mms" framework import-case case.sqlite teachers-case.json --name teachers
check "framework import-case twice" 1 "$mms" framework import-case case.sqlite teachers-case.json --name teachers
grep_in "case duplicate" err.txt "already used"
grep_in "case duplicate at its CASE pointer" err.txt "/CFItems/0/humanCodingScheme"
printf '{"CFDocument": {"identifier": "d",\n  "title" "F"}}' >bad-case.json
check "framework import-case: a syntax error" 1 "$mms" framework import-case case.sqlite bad-case.json
grep_in "framework import-case: the syntax error's line and column" err.txt "case:2:11: JSON syntax error"
# Unknown options: exit 2 naming the option, for every subcommand, before
# anything is opened or written; a valued option needs its value.
refused() { # refused NAME OPTION COMMAND-ARGS...
	name=$1 opt=$2; shift 2
	check "$name" 2 "$mms" "$@"
	grep_in "$name: names $opt" err.txt "$opt"
}
absent() { # absent NAME FILE: the refused command made nothing
	if [ -e "$2" ]; then failed=$((failed + 1)); echo "FAIL $1: $2 was made"
	else passed=$((passed + 1)); fi
}
route=${first:-B-0}
refused "init: unknown option" "unknown option --force" init new.sqlite --force
absent "init: unknown option" new.sqlite
refused "import: a misspelt --dry-run" "unknown option --dry-rn" import new.sqlite "$data/demo/murom.json" --dry-rn
absent "import: a misspelt --dry-run" new.sqlite
refused "validate: unknown option" "unknown option --formt" validate empty.sqlite bad.json --formt json
export MMS_PSEUDONYM_KEY='region-33 secret for the 2024 report: Tq8vXz' # so that only the spelling can refuse it
refused "export: a misspelt --pseudonymise" "unknown option --pseudonymize" export demo.sqlite clear.json --pseudonymize
unset MMS_PSEUDONYM_KEY
absent "export: a misspelt --pseudonymise" clear.json
refused "snapshot: unknown option" "unknown option --fast" snapshot demo.sqlite --fast
absent "snapshot: unknown option" demo.sqlite-snapshot
refused "show: unknown option" "unknown option --verbose" show demo.sqlite MUR-CRPK --verbose
refused "stats: unknown option" "unknown option --json" stats demo.sqlite --json
refused "typology: unknown option" "unknown option -x" typology demo.sqlite -x
refused "network: unknown option" "unknown option --asof" network demo.sqlite --dot --asof 2022-01-01
refused "kpi: unknown option" "unknown option --formt" kpi demo.sqlite MUR-CRPK --year 2023 --formt json
refused "sample: unknown option" "unknown option --shares" sample demo.sqlite --year 2023 --shares 0.3
refused "clusters: unknown option" "unknown option --level" clusters demo.sqlite --year 2023 --indicators murom.P5 --level 3
routes_before=$(sqlite3 demo.sqlite "SELECT count(*) FROM routes" 2>/dev/null || echo "?")
refused "route build: unknown option" "unknown option --sav" route build demo.sqlite MUR-T0005 --as-of 2023-12-31 --sav
refused "route batch: unknown option" "unknown option --prefx" route batch demo.sqlite --save --prefx X-
routes_after=$(sqlite3 demo.sqlite "SELECT count(*) FROM routes" 2>/dev/null || echo "?")
if [ "$routes_before" = "$routes_after" ]; then passed=$((passed + 1))
else failed=$((failed + 1)); echo "FAIL a refused route batch saved routes"; fi
refused "route show: unknown option" "unknown option --xls" route show demo.sqlite "$route" --xls r2.xlsx
absent "route show: unknown option" r2.xlsx
refused "route approve: unknown option" "unknown option --evidance" route approve demo.sqlite "$route" --date 2024-01-20 --evidance x
refused "route approve: --step is progress's" "unknown option --step" route approve demo.sqlite "$route" --date 2024-01-20 --step 1
refused "route progress: unknown option" "unknown option --stp" route progress demo.sqlite "$route" --status active --date 2024-01-25 --stp 1
refused "framework import-case: unknown option" "unknown option --nme" framework import-case new.sqlite teachers-case.json --nme t
absent "framework import-case: unknown option" new.sqlite
refused "framework export-case: unknown option" "unknown option --pretty" framework export-case demo.sqlite teachers --pretty
refused "demo: unknown option" "unknown option --dta" demo --db new.sqlite --dta "$data"
absent "demo: unknown option" new.sqlite
refused "--scope after the command" "goes before the command" show demo.sqlite MUR-SCH-02 --scope MUR-SCH-01
refused "an unknown subcommand" 'unknown subcommand "fly"' framework fly demo.sqlite x
refused "import: --format without its value" "--format needs a value" import new.sqlite "$data/demo/murom.json" --format
refused "import: --format followed by an option" "--format needs a value" import new.sqlite "$data/demo/murom.json" --format --dry-run
absent "import: --format without its value" new.sqlite
refused "validate: --format without its value" "--format needs a value" validate empty.sqlite bad.json --format
refused "export: --delimiter without its value" "--delimiter needs a value" export demo.sqlite out-dir --csv --delimiter
absent "export: --delimiter without its value" out-dir
refused "network: --as-of without its value" "--as-of needs a value" network demo.sqlite --dot --as-of
refused "kpi: --output without its value" "--output needs a value" kpi demo.sqlite MUR-CRPK --year 2023 --format xlsx --output
refused "sample: --estimate without its value" "--estimate needs a value" sample demo.sqlite --year 2023 --estimate
refused "clusters: --per-curator without its value" "--per-curator needs a value" clusters demo.sqlite --year 2023 --indicators murom.P5 --per-curator
refused "route build: --prefix without its value" "--prefix needs a value" route build demo.sqlite MUR-T0005 --save --prefix
refused "route batch: --as-of without its value" "--as-of needs a value" route batch demo.sqlite --as-of
refused "route show: --xlsx without its value" "--xlsx needs a value" route show demo.sqlite "$route" --xlsx
refused "route approve: --date without its value" "--date needs a value" route approve demo.sqlite "$route" --date
refused "route progress: --step without its value" "--step needs a value" route progress demo.sqlite "$route" --status done --date 2024-02-01 --step
refused "framework import-case: --name without its value" "--name needs a value" framework import-case new.sqlite teachers-case.json --name
refused "demo: --data without its value" "--data needs a value" demo --db new.sqlite --data
absent "demo: --data without its value" new.sqlite
# numbers are whole values: "--step 1x" must not change step 1
steps_before=$(sqlite3 demo.sqlite "SELECT group_concat(status) FROM route_steps" 2>/dev/null || echo "?")
refused "route progress: --step 1x" '--step takes a whole number, not "1x"' route progress demo.sqlite "$route" --status done --date 2024-02-01 --step 1x
steps_after=$(sqlite3 demo.sqlite "SELECT group_concat(status) FROM route_steps" 2>/dev/null || echo "?")
if [ "$steps_before" = "$steps_after" ]; then passed=$((passed + 1))
else failed=$((failed + 1)); echo "FAIL a refused --step changed a step"; fi
refused "route batch: --budget ten" '--budget takes a whole number, not "ten"' route batch demo.sqlite --budget ten
refused "kpi: a year past int" "--year takes a whole number" kpi demo.sqlite MUR-CRPK --year 99999999999
refused "kpi: a year with a tail" "--from takes a whole number" kpi demo.sqlite MUR-CRPK --from 2021x --to 2023
refused "sample: an infinite share" '--share takes a number, not "1e999"' sample demo.sqlite --year 2023 --share 1e999
refused "sample: a negative seed" "--seed takes a whole number from 0" sample demo.sqlite --year 2023 --seed -1
refused "clusters: a fractional level count" "--levels takes a whole number" clusters demo.sqlite --year 2023 --indicators murom.P5 --levels 2.5
check "stdout export" 0 "$mms" export again.sqlite -
grep_in "stdout export" out.txt '"format": "libmms"'
check "pseudonymise needs a key" 2 "$mms" export demo.sqlite - --pseudonymise
grep_in "pseudonymise names the variable" err.txt "MMS_PSEUDONYM_KEY"
check "pseudonymise refuses a short key" 2 env MMS_PSEUDONYM_KEY=short "$mms" export demo.sqlite - --pseudonymise
check "pseudonymise refuses a key of one repeated byte" 2 env MMS_PSEUDONYM_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx "$mms" export demo.sqlite - --pseudonymise
grep_in "pseudonymise says how to make a key" err.txt "head -c 32 /dev/urandom | base64"
check "pseudonymised export" 0 env MMS_PSEUDONYM_KEY=q3VZ0yJ5m1m0cB6yq8Lr2W0T9dF1jK7sXo4hP2eGvNw= "$mms" export demo.sqlite - --pseudonymise
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
check "scope: framework import-case is refused" 4 "$mms" --scope MUR-SCH-01 framework import-case demo.sqlite bad.json
grep_in "scope: framework import-case says why" err.txt 'frameworks are written only through a handle without a scope'
check "framework export-case of an unknown framework" 1 "$mms" framework export-case demo.sqlite no-such
grep_in "framework export-case says why" err.txt 'no framework "no-such"'

check "snapshot" 0 "$mms" snapshot demo.sqlite
grep_in "snapshot says where" out.txt "demo.sqlite-snapshot"
check "show from the snapshot" 0 "$mms" show demo.sqlite MUR-CRPK
grep_in "show from the snapshot: the path" out.txt "VLA-VIRO > MUR-CRPK"
check "snapshot of a missing database" 3 "$mms" snapshot missing.sqlite
# Opening: reading commands never create, convert or migrate a file, and
# read a database on a read-only file system.
same_file() { # same_file NAME FILE SUM: FILE's checksum is still SUM
	if [ "$(cksum <"$2")" = "$3" ]; then passed=$((passed + 1))
	else failed=$((failed + 1)); echo "FAIL $1: $2 was changed"; fi
}
no_file() { # no_file NAME FILE
	if [ -e "$2" ]; then failed=$((failed + 1)); echo "FAIL $1: $2 was made"
	else passed=$((passed + 1)); fi
}
for c in "show X" "stats" "kpi X --year 2024" "validate bad.json" "typology" "export out.json"; do
	# shellcheck disable=SC2086 # the command's words are meant to split
	check "$c on a missing database" 3 "$mms" ${c%% *} nothere.sqlite ${c#* }
	no_file "$c: no database made" nothere.sqlite
done
check "framework export-case of a missing database" 3 "$mms" framework export-case nothere.sqlite teachers
no_file "export-case: no database made" nothere.sqlite
check "a refused import into a new file" 1 "$mms" import fresh.sqlite bad.json
no_file "a refused import leaves no new database" fresh.sqlite
check "a refused CASE import into a new file" 1 "$mms" framework import-case fresh.sqlite bad.json
no_file "a refused CASE import leaves no new database" fresh.sqlite
grep_in "the CASE refusal says why" err.txt "the CASE document: "
sqlite3 foreign.sqlite "CREATE TABLE notes(x); INSERT INTO notes VALUES('mine')"
sum=$(cksum <foreign.sqlite)
for c in show stats validate export; do
	check "$c on a foreign file" 3 "$mms" $c foreign.sqlite X
	same_file "$c leaves a foreign file" foreign.sqlite "$sum"
	no_file "$c makes no -wal beside a foreign file" foreign.sqlite-wal
done
check "import into a foreign file" 3 "$mms" import foreign.sqlite bad.json
grep_in "foreign file named" err.txt "not a libmms database"
same_file "import leaves a foreign file" foreign.sqlite "$sum"
: >zero.sqlite
check "show on an empty file" 3 "$mms" show zero.sqlite X
if [ -s zero.sqlite ]; then failed=$((failed + 1)); echo "FAIL an empty file was written"; else passed=$((passed + 1)); fi
cp demo.sqlite newer.sqlite
sqlite3 newer.sqlite "PRAGMA user_version=99" && sum=$(cksum <newer.sqlite)
check "a newer schema is refused" 3 "$mms" stats newer.sqlite
grep_in "newer schema named" err.txt "newer than this libmms"
same_file "a newer schema is left as it was" newer.sqlite "$sum"
# Updates: checked as an import, all or nothing, with their history.
cp demo.sqlite upd.sqlite
check "update a staff member" 0 "$mms" update upd.sqlite staff MUR-CRPK-DIR position=методист \
	part_time=true --actor "Иванова И.И."
check "update reads back" 0 sqlite3 upd.sqlite "SELECT position, part_time FROM staff WHERE code = 'MUR-CRPK-DIR'"
grep_in "update wrote the fields" out.txt "методист|1"
sum=$(cksum <upd.sqlite)
check "an update breaking a rule is refused" 1 "$mms" update upd.sqlite units MUR-CRPK level=institutional kind=school
grep_in "the refusal names the dependent record" err.txt "units/.*/parent"
grep_in "the refusal says nothing changed" err.txt "nothing was changed"
same_file "a refused update leaves the file as it was" upd.sqlite "$sum"
check "an update of an unknown code" 1 "$mms" update upd.sqlite staff NOBODY position=x
check "an update without FIELD=VALUE" 2 "$mms" update upd.sqlite staff MUR-CRPK-DIR position
check "an update with an unknown option" 2 "$mms" update upd.sqlite staff MUR-CRPK-DIR position=x --frm 2025-01-01
check "an update of a code" 2 "$mms" update upd.sqlite staff MUR-CRPK-DIR code=NEW
check "history" 0 "$mms" history upd.sqlite staff MUR-CRPK-DIR
grep_in "history header" out.txt "^at	actor	field	old	new"
grep_in "history has the addition" out.txt "(added)"
grep_in "history has the change with its actor" out.txt "Иванова И.И.	position	директор	методист"
grep_in "history has booleans" out.txt "part_time	false	true"
check "history of an unknown entity" 2 "$mms" history upd.sqlite castles X
check "history of a participation by id" 0 "$mms" history upd.sqlite participations 0
grep_in "history of a participation" out.txt "(added)"
# Deletes: refused while records refer to the record, cascaded on request, recorded.
cp demo.sqlite del.sqlite
sum=$(cksum <del.sqlite)
check "a delete of a record referred to is refused" 1 "$mms" delete del.sqlite staff MUR-T0433
grep_in "the refusal names a dependent" err.txt "participations/"
grep_in "the refusal offers the cascade" err.txt "cascade"
same_file "a refused delete leaves the file as it was" del.sqlite "$sum"
check "a delete of an unknown code" 1 "$mms" delete del.sqlite staff NOBODY
check "a delete with an unknown option" 2 "$mms" delete del.sqlite staff MUR-T0433 --cascde
check "a delete with a cascade" 0 "$mms" delete del.sqlite staff MUR-T0433 --cascade --actor "Иванова И.И."
grep_in "the delete says so" out.txt "deleted"
check "the deleted person's name is erased" 0 sqlite3 del.sqlite "SELECT name FROM staff WHERE code = 'MUR-T0433'"
grep_in "the name is erased" out.txt "^(deleted)$"
check "a deleted record is not exported" 0 "$mms" export del.sqlite del.json
if grep -q "\"code\":\"MUR-T0433\"\|\"staff\":\"MUR-T0433\"" del.json; then failed=$((failed + 1)); echo "FAIL the export holds a deleted record"
else passed=$((passed + 1)); fi
check "a deletion is in the history" 0 "$mms" history del.sqlite staff MUR-T0433
grep_in "the deletion with its actor" out.txt "Иванова И.И.	(deleted)		deleted"
check "a deleted code is not given again" 1 "$mms" import del.sqlite "$data/demo/murom.json" --mode upsert
grep_in "the code stays taken" err.txt "never reused"
check "a record nothing refers to is deleted without a cascade" 0 "$mms" delete del.sqlite staff MUR-D0008
# Upsert: the same file twice changes nothing; a correction corrects.
cp demo.sqlite ups.sqlite
check "export before an upsert" 0 "$mms" export ups.sqlite before.json
check "import again in upsert mode" 0 "$mms" import ups.sqlite "$data/demo/murom.json" --mode upsert
check "upsert over an updated record" 0 "$mms" import upd.sqlite "$data/demo/murom.json" --mode upsert
check "export after an upsert" 0 "$mms" export ups.sqlite after.json
if cmp -s before.json after.json; then passed=$((passed + 1))
else failed=$((failed + 1)); echo "FAIL importing the demo again in upsert mode changed the export"; fi
check "import again in add mode is refused" 1 "$mms" import ups.sqlite "$data/demo/murom.json"
check "validate in upsert mode" 0 "$mms" validate ups.sqlite "$data/demo/murom.json" --mode upsert
printf '{"staff": [{"code": "MUR-CRPK-DIR", "category": "first"}]}' >fix.json
check "a correction in upsert mode" 0 "$mms" import upd.sqlite fix.json --mode upsert --actor feed
check "the correction is in the history" 0 "$mms" history upd.sqlite staff MUR-CRPK-DIR
grep_in "the correction's actor" out.txt "feed	category	highest	first"
check "upsert corrects what an update changed" 0 sqlite3 upd.sqlite "SELECT position FROM staff WHERE code = 'MUR-CRPK-DIR'"
grep_in "the file's value is back" out.txt "директор"
check "an unknown import mode" 2 "$mms" import upd.sqlite fix.json --mode sideways
# A read-only file system, in a mount namespace of its own (root, or an
# unprivileged user namespace); said and skipped where neither is allowed.
ns="unshare -m"
[ "$(id -u)" -eq 0 ] || ns="unshare -rm"
mkdir -p romount
if $ns sh -c 'mount -t tmpfs none romount' 2>/dev/null; then
	# shellcheck disable=SC2016 # expanded by the inner shell
	$ns sh -c 'mount -t tmpfs none romount && cp demo.sqlite romount/ && mount -o remount,ro romount &&
		"$1" show romount/demo.sqlite MUR-CRPK >ro-show.txt 2>&1; echo "show $?" >ro-codes.txt;
		"$1" kpi romount/demo.sqlite MUR-CRPK --year 2024 --indicators murom.P5 >ro-kpi.txt 2>&1;
		echo "kpi $?" >>ro-codes.txt;
		"$1" import romount/demo.sqlite bad.json >ro-import.txt 2>&1; echo "import $?" >>ro-codes.txt' \
		sh "$mms"
	grep_in "read-only mount: show" ro-codes.txt "show 0"
	grep_in "read-only mount: kpi" ro-codes.txt "kpi 0"
	grep_in "read-only mount: kpi values" ro-kpi.txt "murom.P5"
	grep_in "read-only mount: a write is refused" ro-codes.txt "import 3"
	grep_in "read-only mount: the refusal says why" ro-import.txt "read-only"
else
	echo "skipped: the read-only mount checks (no mount namespace here)"
fi
# Writing files: never over the database (however it is spelt), a CSV
# folder only over an earlier export, the demo only over its own database.
dbsum() { cat "$1" "$1-wal" "$1-snapshot" 2>/dev/null | cksum; }
same_sum() { # same_sum NAME FILE SUM
	if [ "$(dbsum "$2")" = "$3" ]; then passed=$((passed + 1))
	else failed=$((failed + 1)); echo "FAIL $1: $2 changed"; fi
}
before=$(dbsum demo.sqlite)
mkdir -p sub && ln -sf demo.sqlite link.sqlite
check "export over the database is refused" 1 "$mms" export demo.sqlite demo.sqlite
grep_in "the refusal names both paths" err.txt "output demo.sqlite is the database .*/demo.sqlite"
check "export over the -wal is refused" 1 "$mms" export demo.sqlite demo.sqlite-wal
check "export over the -shm is refused" 1 "$mms" export demo.sqlite demo.sqlite-shm
check "export over the snapshot is refused" 1 "$mms" export demo.sqlite demo.sqlite-snapshot
check "export through .. is refused" 1 "$mms" export demo.sqlite sub/../demo.sqlite
check "export through a link is refused" 1 "$mms" export demo.sqlite link.sqlite
check "csv export over the database is refused" 1 "$mms" export demo.sqlite demo.sqlite --csv
check "pseudonymised export over the database is refused" 1 env MMS_PSEUDONYM_KEY='region-33 secret for the 2024 report: Tq8vXz' "$mms" export demo.sqlite demo.sqlite --pseudonymise
check "scoped export over the database is refused" 1 "$mms" --scope MUR-SCH-01 export demo.sqlite demo.sqlite
check "kpi xlsx over the database is refused" 1 "$mms" kpi demo.sqlite MUR-CRPK --year 2023 --format xlsx --output demo.sqlite
grep_in "kpi refusal names both paths" err.txt "output demo.sqlite is the database .*/demo.sqlite"
if [ -n "$first" ]; then
	check "route xlsx over the database is refused" 1 "$mms" route show demo.sqlite "$first" --xlsx link.sqlite
fi
same_sum "refused writes leave the database byte-identical" demo.sqlite "$before"
mkdir -p mine && echo "my notes" >mine/notes.txt
check "csv export into a folder with other files is refused" 1 "$mms" export demo.sqlite mine --csv
grep_in "csv refusal names the file" err.txt "notes.txt"
grep_in "csv refusal keeps the folder" mine/notes.txt "my notes"
check "csv export over an earlier export" 0 "$mms" export demo.sqlite csvdir --csv
if ls -A . | grep -q '\.tmp\|\.old'; then failed=$((failed + 1)); echo "FAIL a temporary is left"; ls -A
else passed=$((passed + 1)); fi
echo "precious" >precious.txt
check "demo refuses a file it did not make" 1 "$mms" demo --db precious.txt --data "$data"
grep_in "demo refusal says why" err.txt "not a database the demo made"
grep_in "demo keeps the file" precious.txt "^precious$"
check "demo refuses a database it did not make" 1 "$mms" demo --db again.sqlite --data "$data"
check "demo makes a database" 0 "$mms" demo --db demo2.sqlite --data "$data"
check "demo reruns over its own database" 0 "$mms" demo --db demo2.sqlite --data "$data"
demo2=$(dbsum demo2.sqlite)
check "demo with an unknown scope is refused" 1 "$mms" --scope NO-SUCH demo --db scoped.sqlite --data "$data"
if [ -e scoped.sqlite ] || ls -A . | grep -q '\.tmp'; then failed=$((failed + 1)); echo "FAIL a refused demo left a file"; ls -A
else passed=$((passed + 1)); fi
check "demo with an unknown scope keeps the demo" 1 "$mms" --scope NO-SUCH demo --db demo2.sqlite --data "$data"
same_sum "a refused demo leaves its database" demo2.sqlite "$demo2"
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
# fact keys of the built-in indicators' namespaces are checked (issue 13): a
# misspelt key is refused at its place; a namespace of the user's own is free
printf '{"units": [{"code": "FM", "name": "ММС", "level": "municipal", "kind": "municipal_service"}],
 "facts": [{"unit": "FM", "key": "murom.roadmaps_done", "year": 2023, "value": 90},
  {"unit": "FM", "key": "murom.roadmap_done", "year": 2023, "value": 90},
  {"unit": "FM", "key": "yar.own", "year": 2023, "value": 1}]}' >facts.json
check "a misspelt fact key is refused" 1 "$mms" import facts.sqlite facts.json
grep_in "a misspelt fact key, where" err.txt "/facts/1/key"
grep_in "a misspelt fact key, the declared one" err.txt "murom.roadmaps_done"
sed 's/murom.roadmap_done/murom.vsoko/' facts.json >facts-ok.json
check "declared and own fact keys are taken" 0 "$mms" import facts.sqlite facts-ok.json
# a survey's purpose is read and written
printf '{"activities": [{"code": "SV", "name": "Анкета", "kind": "survey", "purpose": "needs", "start": "2023-03-01"}]}' >purpose.json
check "a survey with its purpose" 0 "$mms" import facts.sqlite purpose.json
"$mms" export facts.sqlite purpose-out.json >/dev/null 2>&1
grep_in "the purpose is exported" purpose-out.json '"purpose": *"needs"'
printf '{"activities": [{"code": "EVP", "name": "Семинар", "kind": "event", "purpose": "needs"}]}' >purpose-bad.json
check "a purpose is only for surveys" 1 "$mms" import facts.sqlite purpose-bad.json
grep_in "a purpose only for surveys, where" err.txt "/activities/0/purpose"

# Careers and units over time: the real-life table of issue 12. Each change
# leaves 2024's values exactly as they were and moves 2025's as it says.
cp "$tdata/careers/network.json" careers.json && cp "$tdata/careers/definitions.json" careers-defs.json
careers_kpi() { # careers_kpi UNIT YEAR: the values as JSON in out.txt
	"$mms" kpi careers.sqlite "$1" --year "$2" --definitions careers-defs.json \
		--format json >out.txt 2>err.txt
}
check "careers: import" 0 "$mms" import careers.sqlite careers.json
for u in R M1 M2 S1 S2 S3; do careers_kpi $u 2024; cp out.txt "before-$u.json"; done
check "careers: a category change from a day" 0 "$mms" update careers.sqlite staff A category=highest --from 2025-04-01 --actor кадры
check "careers: a move mid-year" 0 "$mms" update careers.sqlite staff B org=S2 --from 2025-06-01
printf '{"staff": [{"code": "C-2", "name": "C", "person": "C", "org": "S3", "role": "teacher", "employment": "external_part_time", "birth_date": "1980-05-05", "work_start": "2025-02-01"}]}' >second.json
check "careers: a second job" 0 "$mms" import careers.sqlite second.json
check "careers: a departure" 0 "$mms" update careers.sqlite staff D work_end=2025-05-31
check "careers: a rename" 0 "$mms" update careers.sqlite units S1 "name=Лицей 1" --from 2025-09-01
check "careers: a re-subordination" 0 "$mms" update careers.sqlite units S2 parent=M2 --from 2025-01-01
sum=$(cksum <careers.sqlite)
check "careers: a day not after the last one is refused" 1 "$mms" update careers.sqlite staff B org=S1 --from 2025-05-01
grep_in "careers: the refusal says why" err.txt "until 2025-05-31"
check "careers: a field without history is refused" 2 "$mms" update careers.sqlite staff A name=Z --from 2025-05-01
same_file "careers: refused updates leave the file as it was" careers.sqlite "$sum"
for u in R M1 M2 S1 S2 S3; do
	careers_kpi $u 2024
	if cmp -s out.txt "before-$u.json"; then passed=$((passed + 1))
	else failed=$((failed + 1)); echo "FAIL careers: 2024 at $u moved"; diff "before-$u.json" out.txt; fi
done
careers_kpi S1 2025
grep_in "careers: 2025 reads the year's end" out.txt '"as_of":"2025-12-31"'
check "careers: kpi of S1 in 2025" 0 "$mms" kpi careers.sqlite S1 --year 2025 --definitions careers-defs.json
grep_in "careers: S1 keeps A only, now of the highest category" out.txt "c.highest  *2025  *100.00  *1/1"
check "careers: kpi of M2 in 2025" 0 "$mms" kpi careers.sqlite M2 --year 2025 --definitions careers-defs.json
grep_in "careers: M2 has S2's and S3's teachers, not the part-timer" out.txt "c.teachers  *2025  *3.00  *3/3"
check "careers: past values are exported" 0 "$mms" export careers.sqlite careers-out.json
grep_in "careers: the old parent is kept" careers-out.json '"record":"S2","field":"parent","value":"M1","until":"2024-12-31"'
check "careers: history of a move" 0 "$mms" history careers.sqlite staff B
grep_in "careers: history names the move" out.txt "org	S1	S2"
# units through their staff, and targets, as at the period's end: B's 2024
# course stays S1's; S2 inherits M1's 2024 target, not M2's
printf '{"participations": [{"activity": "K", "staff": "B", "role": "participant", "start": "2024-03-01", "end": "2024-03-20"}], "targets": [{"indicator": "c.teachers", "unit": "M1", "year": 2024, "value": 10}, {"indicator": "c.teachers", "unit": "M2", "year": 2024, "value": 20}]}' >careers-2024.json
printf '{"indicators": [{"id": "c.teachers", "name_ru": "Педагоги", "kind": "count", "population": "staff", "numerator": "role = \\"teacher\\""}, {"id": "c.u_trained", "name_ru": "Школы с обученными", "kind": "count", "population": "units", "numerator": "participated(\\"course\\")"}]}' >careers-units.json
check "careers: a 2024 course and targets" 0 "$mms" import careers.sqlite careers-2024.json
check "careers: kpi of S1 in 2024" 0 "$mms" kpi careers.sqlite S1 --year 2024 --definitions careers-units.json
grep_in "careers: S1 took part in 2024 through B, who left in 2025" out.txt "c.u_trained  *2024  *1.00  *1/1"
check "careers: kpi of S2 in 2024" 0 "$mms" kpi careers.sqlite S2 --year 2024 --definitions careers-units.json
grep_in "careers: S2 did not take part in 2024" out.txt "c.u_trained  *2024  *0.00  *0/1"
grep_in "careers: S2 inherits its 2024 target from M1" out.txt "c.teachers  *2024  *2.00  *2/2  *10.00"
# sync: within M's subtree and 2024 the database becomes the file
cat >sync-base.json <<'EOF2'
{"units": [{"code": "M", "name": "M", "level": "municipal", "kind": "municipal_service"},
 {"code": "S1", "name": "S1", "level": "institutional", "kind": "school", "parent": "M"},
 {"code": "N", "name": "N", "level": "municipal", "kind": "municipal_service"}],
 "staff": [{"code": "A", "name": "A", "org": "S1", "role": "teacher"},
 {"code": "B", "name": "B", "org": "S1", "role": "teacher"},
 {"code": "D", "name": "D", "org": "N", "role": "teacher"}]}
EOF2
printf '{"staff": [{"code": "A", "name": "A", "org": "S1", "role": "teacher", "category": "first"}, {"code": "E", "name": "E", "org": "S1", "role": "teacher"}]}' >sync-2024.json
check "sync: base" 0 "$mms" import sync.sqlite sync-base.json
check "sync needs --scope" 2 "$mms" import sync.sqlite sync-2024.json --mode sync --year 2024
check "--scope after import is only for a sync" 2 "$mms" import sync.sqlite sync-2024.json --scope M
check "sync: dry run" 0 "$mms" import sync.sqlite sync-2024.json --mode sync --scope M --year 2024 --dry-run
grep_in "sync: dry run counts" out.txt "a sync would change, within M in 2024: staff 1 added 1 updated 1 deleted"
grep_in "sync: dry run keys" out.txt "deleted staff/B"
"$mms" export sync.sqlite sync-before.json >/dev/null 2>&1
grep_in "sync: a dry run deletes nothing" sync-before.json '"code":"B"'
check "sync" 0 "$mms" import sync.sqlite sync-2024.json --mode sync --scope M --year 2024 --actor hr
grep_in "sync: what it did" out.txt "synced M in 2024: staff 1 added 1 updated 1 deleted"
check "sync: the deleted record's history" 0 "$mms" history sync.sqlite staff B
grep_in "sync: history names the actor" out.txt "hr"
"$mms" export sync.sqlite sync-once.json >/dev/null 2>&1
check "sync again" 0 "$mms" import sync.sqlite sync-2024.json --mode sync --scope M --year 2024
grep_in "sync again changes nothing" out.txt "synced M in 2024: nothing"
"$mms" export sync.sqlite sync-twice.json >/dev/null 2>&1
if cmp -s sync-once.json sync-twice.json && grep -q '"code":"D"' sync-twice.json && ! grep -q '"code":"B"' sync-twice.json
then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL sync twice: exports differ"; fi
check "validate in sync mode" 0 "$mms" validate sync.sqlite sync-2024.json --mode sync --scope N
grep_in "validate in sync mode lists" out.txt "a sync would change, within N: staff 1 deleted"
# Capacities on every write (docs/routes.md): a route saved by the planner
# takes the course's one place; a second plan written by an import is refused.
check "capacity: init" 0 "$mms" init cap.sqlite
printf '{"units": [{"code": "M", "name": "ММС", "level": "municipal", "kind": "municipal_service"},
{"code": "S", "name": "Школа", "level": "institutional", "kind": "school", "parent": "M"}],
"staff": [{"code": "T1", "name": "a", "org": "S", "role": "teacher"}, {"code": "T2", "name": "b", "org": "S", "role": "teacher"}],
"competencies": [{"code": "K", "name": "K", "framework": "t", "kind": "competency"}],
"diagnostics": [{"staff": "T1", "competency": "K", "date": "2024-01-10", "score": 40},
{"staff": "T2", "competency": "K", "date": "2024-01-10", "score": 45}],
"resources": [{"code": "KURS", "name": "Курс", "kind": "course", "hours": 36, "capacity": 1}],
"develops": [{"resource": "KURS", "competency": "K", "strength": 3}]}' >cap.json
check "capacity: import" 0 "$mms" import cap.sqlite cap.json
check "capacity: the first plan saved, with the region's bands" 0 "$mms" route build cap.sqlite T1 --as-of 2024-02-01 --high-below 50 --medium-up-to 70 --save --prefix A-
grep_in "route build prints each deficit and what it leads to" out.txt "deficit K: 40%, high -> route"
check "route show" 0 "$mms" route show cap.sqlite A-T1
grep_in "route show prints the bands the route was built with" out.txt "deficit bands (Р-201): high below 50 %, medium up to 70 %"
check "route build: bands out of order" 2 "$mms" route build cap.sqlite T2 --as-of 2024-02-01 --high-below 90
grep_in "route build: bands out of order, why" err.txt "not 0 < high <= medium <= 100"
printf '{"routes": [{"code": "B-T2", "staff": "T2"}], "route_steps": [{"route": "B-T2", "resource": "KURS"}]}' >second.json
check "capacity: a second plan overfilling the course is refused" 1 "$mms" import cap.sqlite second.json
grep_in "capacity: refusal located and explained" err.txt 'route_steps/0/resource: route "B-T2": resource "KURS" has 1 places (capacity) and 2 steps'
check "capacity: the second person's plan finds the course full" 0 "$mms" route build cap.sqlite T2 --as-of 2024-02-01 --save --prefix C-
grep_in "capacity: the planner says why" out.txt "no place left"
if [ "$(sqlite3 cap.sqlite "SELECT count(*) FROM route_steps WHERE resource = (SELECT id FROM resources WHERE code = 'KURS')" 2>/dev/null || echo 1)" = 1 ]; then passed=$((passed + 1))
else failed=$((failed + 1)); echo "FAIL capacity: the course holds more steps than places"; fi
# Diagnostic sessions: a result per task, the competency's share computed from them.
printf '{"diagnostic_sessions": [{"code": "DS1", "kind": "entry", "form": "case", "instrument": "Кейс", "date": "2024-01-20"}],
"diagnostics": [{"staff": "T2", "competency": "K", "date": "2024-01-20", "session": "DS1", "task": "1", "score": 100},
{"staff": "T2", "competency": "K", "date": "2024-01-20", "session": "DS1", "task": "2", "score": 0}]}' >session.json
check "sessions: import" 0 "$mms" import cap.sqlite session.json
check "sessions: the share of tasks solved" 0 "$mms" route build cap.sqlite T2 --as-of 2024-02-01
grep_in "sessions: 1 of 2 tasks" out.txt "deficit K: 50%, high -> route"
printf '{"diagnostics": [{"staff": "T2", "competency": "K", "date": "2024-01-21", "task": "3", "score": 0}]}' >task.json
check "sessions: a task without its session" 1 "$mms" import cap.sqlite task.json
grep_in "sessions: a task without its session, located" err.txt "diagnostics/0/session"
# A repeat diagnostic on the same instrument closes the deficit (docs/routes.md, Re-diagnostics).
check "effect: approve" 0 "$mms" route approve cap.sqlite A-T1 --date 2024-02-02
check "effect: active" 0 "$mms" route progress cap.sqlite A-T1 --status active --date 2024-02-03
check "effect: step done" 0 "$mms" route progress cap.sqlite A-T1 --step 0 --status done --date 2024-05-01
printf '{"diagnostics": [{"staff": "T1", "competency": "K", "date": "2024-06-10", "score": 90}]}' >repeat.json
check "effect: the repeat diagnostic" 0 "$mms" import cap.sqlite repeat.json
check "route effect of a route" 0 "$mms" route effect cap.sqlite A-T1 --as-of 2024-06-30
grep_in "route effect: the deficit closed" out.txt '^"K",high,40,90,minimal,50,1$'
check "route effect by resource" 0 "$mms" route effect cap.sqlite --by-resource --as-of 2024-06-30
grep_in "route effect by resource: the course" out.txt '^"KURS",1,1,50.0$'
check "route effect needs a route or --by-resource" 2 "$mms" route effect cap.sqlite
refused "route effect: unknown option" "unknown option --by-resorce" route effect cap.sqlite --by-resorce
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
