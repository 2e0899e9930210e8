#!/bin/sh
# Everything a fresh Debian 12 machine needs, then one job:
#   sh tools/dev.sh demo   build, then run the demo on the embedded SQLite default
#   sh tools/dev.sh test   build, run every test, again under ASan+UBSan, threads under TSan
set -eu
cd "$(dirname "$0")/.."
job=${1:-}
case "$job" in demo|test) ;; *) echo "usage: sh tools/dev.sh demo|test" >&2; exit 2 ;; esac

packages="cmake ninja-build gcc pkg-config libsqlite3-dev libjson-c-dev libcsv-dev
libcmocka-dev libxlsxwriter-dev nettle-dev libicu-dev sqlite3 swig4.0 python3-dev python3-pytest python3-jsonschema python3-openpyxl python3-pandas liblua5.4-dev lua5.4 valgrind abigail-tools"
missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	echo "installing:$missing"
	$sudo apt-get update -q
	# shellcheck disable=SC2086 # the list is meant to split
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
fi

cmake --preset default
cmake --build --preset default
if [ "$job" = demo ]; then
	exec ./build/bin/mms demo
fi
# The DuckDB peer of the benchmark (bench_smoke runs it when installed).
if command -v npm >/dev/null 2>&1 && [ ! -d bench/peers/node_modules/@duckdb ]; then
	npm install --prefix bench/peers --no-save --no-audit --no-fund --loglevel=error ||
		echo "dev.sh: the DuckDB peer could not be installed; bench_smoke runs without it" >&2
fi
ctest --preset default
# The same tests with AddressSanitizer and UBSan (any finding fails the run);
# the installed-consumer test is left out: a plain program cannot load an
# instrumented library first.
cmake --preset asan
cmake --build --preset asan
ctest --preset asan --label-exclude install
# Distinct handles from several threads, under ThreadSanitizer.
cmake --preset tsan
cmake --build --preset tsan --target test_threads
ctest --preset tsan
