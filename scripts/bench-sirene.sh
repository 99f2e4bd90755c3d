#!/usr/bin/env bash
# Benchmark (not a test) of `dessine import sirene` on SIRENE-shaped files written by
# scripts/sirene-files.py, on a fresh SQLite database with the demo data, release build:
#   1. 200,000 establishments, 80 % in the Nord and the Pas-de-Calais (the issue's target: < 60 s);
#   2. the same files again (nothing new: the second import only reads);
#   3. 1,000,000 establishments, 16 % inside: five times the file, the same entries written,
#      to show that memory follows what is imported, not the size of the files.
# Prints wall time and peak resident memory of each run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
if [ "${1:-}" != "--built" ]; then build_release >&2; fi
bin="$CARGO_TARGET_DIR/release/dessine"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export DATABASE_URL="sqlite://$dir/sirene.db" DESSINE_MAIL="$dir/mail" RUST_LOG=warn
python3 scripts/sirene-files.py 200000 "$dir/200k"
python3 scripts/sirene-files.py 1000000 "$dir/1m" 0.16
"$bin" seed demo >/dev/null
measure() {
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$dir/time" "$bin" import sirene "$@" --appliquer > "$dir/out"
  read -r seconds kib < "$dir/time"
  printf '%-58s %6.1f s  peak RSS %7s KiB\n  %s\n' "$label" "$seconds" "$kib" "$(tail -1 "$dir/out")"
}
printf '\nSIRENE import (SQLite, release build, %s cores)\n' "$(nproc)"
measure "200,000 establishments, first import" "$dir/200k/StockUniteLegale.csv" "$dir/200k/StockEtablissement.csv"
measure "the same files again" "$dir/200k/StockUniteLegale.csv" "$dir/200k/StockEtablissement.csv"
rm -f "$dir/sirene.db"* && "$bin" seed demo >/dev/null
measure "1,000,000 establishments, 16 % inside, fresh database" "$dir/1m/StockUniteLegale.csv" "$dir/1m/StockEtablissement.csv"
