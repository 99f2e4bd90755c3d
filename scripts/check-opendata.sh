#!/usr/bin/env bash
# The directory's open data (`/donnees`) read by real validators, as a reuser's tools read it:
#   frictionless (the Frictionless Data reference validator) checks the live CSV and the day's
#   snapshot against the Table Schema the portal publishes; the geojson package checks the
#   GeoJSON; and a copy of the CSV with one wrong value must be refused (the check really looks).
#   scripts/check-opendata.sh http://127.0.0.1:PORT
set -euo pipefail
base=${1:?usage: check-opendata.sh BASE_URL}
py="${DESSINE_CACHE:-$HOME/.cache/dessine}/python/bin"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

fetch() { curl -fsS --max-time 60 "$base$1" -o "$dir/$2"; }
fetch /donnees/schema-annuaire-ess.json schema.json
fetch /donnees/annuaire-ess.csv annuaire-ess.csv
fetch /donnees/annuaire-ess.geojson annuaire-ess.geojson
# The server writes the day's snapshot within a minute of starting (its daily job).
day=$(TZ=Europe/Paris date +%F)
for _ in $(seq 1 90); do
  fetch "/donnees/instantanes/annuaire-ess-$day.csv" instantane.csv 2>/dev/null && break
  sleep 1
done
[ -s "$dir/instantane.csv" ] || { echo "no snapshot for $day" >&2; exit 1; }

validate() {
  (cd "$dir" && "$py/frictionless" validate --schema schema.json "$1")
}
validate annuaire-ess.csv
validate instantane.csv

# One latitude that is no number, one identifier twice: both must be reported.
"$py/python" - "$dir" <<'PY'
import csv, io, sys
folder = sys.argv[1]
with open(f"{folder}/annuaire-ess.csv", encoding="utf-8-sig", newline="") as f:
    rows = list(csv.reader(f))
rows[1][rows[0].index("latitude")] = "au nord"
print(f"CSV: {len(rows) - 1} rows")
rows.append(rows[2])
with open(f"{folder}/faux.csv", "w", encoding="utf-8", newline="") as f:
    csv.writer(f).writerows(rows)
PY
if validate faux.csv > "$dir/faux.txt"; then
  echo "frictionless accepted a CSV with a wrong latitude and a repeated identifier" >&2
  exit 1
fi
grep -q 'type-error' "$dir/faux.txt" && grep -q 'primary-key' "$dir/faux.txt" || {
  cat "$dir/faux.txt" >&2
  echo "the wrong CSV was refused, but not for its two faults" >&2
  exit 1
}

"$py/python" - "$dir/annuaire-ess.geojson" <<'PY'
import sys, geojson
with open(sys.argv[1], encoding="utf-8") as f:
    collection = geojson.load(f)
assert collection.is_valid, collection.errors()
points = [f for f in collection["features"] if f["geometry"] is not None]
for feature in points:
    lon, lat = feature["geometry"]["coordinates"]
    assert -180 <= lon <= 180 and -90 <= lat <= 90, feature["properties"]["identifiant"]
print(f"GeoJSON valid: {len(collection['features'])} features, {len(points)} placed")
PY
echo "open data valid: the CSV and the day's snapshot against the Table Schema, the GeoJSON"
