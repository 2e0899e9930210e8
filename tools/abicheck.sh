#!/bin/sh
# ABI check: compare a built libmms with the committed baseline of the last
# release (abi/libmms-X.Y.Z.abi, made by abidw from a -g build).
#   sh tools/abicheck.sh path/to/libmms.so.N.N.N
# Fails when a symbol is removed or a function or public type changes, unless
# the SONAME major changed. Added functions are compatible and pass.
# Opaque handles (typedef struct mms_x mms_x;) have no layout in the ABI:
# their private definitions are suppressed.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
lib=$1
baseline=$(ls "$src"/abi/libmms-*.abi | sort -V | tail -n 1)
suppr=$(mktemp)
report=$(mktemp)
trap 'rm -f "$suppr" "$report"' EXIT
opaque=$(sed -n 's/^typedef struct \(mms_[a-z_]*\) \1;$/\1/p' "$src"/include/mms/*.h | paste -sd '|')
printf '[suppress_type]\n  type_kind = struct\n  name_regexp = ^(%s)$\n' "$opaque" >"$suppr"
# Options structs carry their version first and the library reads only the
# fields the caller's version has, so a field appended at the end is compatible.
printf '[suppress_type]\n  type_kind = struct\n  name_regexp = ^mms_[a-z_]*_options$\n  has_data_member_inserted_at = end\n' >>"$suppr"

rc=0
abidiff --suppressions "$suppr" --headers-dir2 "$src/include/mms" "$baseline" "$lib" >"$report" || rc=$?
cat "$report"
if [ $((rc & 3)) -ne 0 ]; then
	echo "abicheck: abidiff failed to run (exit $rc)" >&2
	exit 2
fi
old=$(sed -n "1s/.*soname='\([^']*\)'.*/\1/p" "$baseline")
new=$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
if [ "$old" != "$new" ]; then
	echo "abicheck: SONAME $old -> $new, incompatible changes allowed"
	exit 0
fi
changed=$(sed -n 's/^Functions changes summary: \([0-9]*\) Removed, \([0-9]*\) Changed.*/\1 \2/p' "$report")
vars=$(sed -n 's/^Variables changes summary: \([0-9]*\) Removed, \([0-9]*\) Changed.*/\1 \2/p' "$report")
if [ $((rc & 8)) -ne 0 ] || [ "${changed:-0 0}" != "0 0" ] || [ "${vars:-0 0}" != "0 0" ]; then
	echo "abicheck: incompatible change against $(basename "$baseline") with the same SONAME $new" >&2
	exit 1
fi
echo "abicheck: compatible with $(basename "$baseline")"
