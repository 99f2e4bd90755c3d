# Sourced by the other scripts: where builds and tools live, outside the clone so that a fresh
# checkout (CI) reuses them.
export DESSINE_CACHE="${DESSINE_CACHE:-$HOME/.cache/dessine}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$DESSINE_CACHE/target}"
export PATH="$DESSINE_CACHE/node/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# leptos reads the output name at compile time (`option_env!`). cargo-leptos sets it; setting it for
# every cargo command too keeps `cargo test`, clippy and cargo-leptos on one build of the leptos
# crates instead of rebuilding them (and everything above) each time one follows the other.
export LEPTOS_OUTPUT_NAME=dessine

# Steps: `step NAME` ends the step before it (printing its time) and starts NAME; `steps_table`
# ends the last one and prints every step with its wall time.
STEP_NAMES=() STEP_TIMES=() STEP_NAME="" STEP_START=0
now() { date +%s.%N; }
seconds_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }'; }
step_end() {
  [ -n "$STEP_NAME" ] || return 0
  local took; took=$(seconds_since "$STEP_START")
  STEP_NAMES+=("$STEP_NAME${1:+ ($1)}") STEP_TIMES+=("$took")
  printf '\033[1m<== %s: %s s%s\033[0m\n' "$STEP_NAME" "$took" "${1:+ ($1)}" >&2
  STEP_NAME=""
}
step() {
  step_end
  STEP_NAME="$*" STEP_START=$(now)
  printf '\n\033[1m==> %s\033[0m\n' "$*" >&2
}
steps_table() {
  step_end "${1:-}"
  local i total=0
  printf '\n%-64s %7s\n' "step" "seconds"
  for i in "${!STEP_NAMES[@]}"; do
    printf '%-64s %7s\n' "${STEP_NAMES[$i]}" "${STEP_TIMES[$i]}"
    total=$((total + STEP_TIMES[i]))
  done
  printf '%-64s %7s  (%dm%02ds)\n' "total" "$total" $((total / 60)) $((total % 60))
}
# From here on, the project's own crate is compiled through clippy (`-D warnings`) as it is built:
# the lint pass and the build share one compilation instead of two. Dependencies are compiled by
# plain rustc (the wrapper is for workspace members only), so they are shared with other builds.
lint_while_building() {
  export RUSTC_WORKSPACE_WRAPPER="$(rustup which clippy-driver)"
  export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings"
}
# end2end/node_modules (Playwright, Lighthouse, the Nu checker) installed once per version of
# end2end/package-lock.json, in the cache outside the clone, and linked into the clone.
e2e_node_modules() {
  local key dir link=end2end/node_modules
  key=$(sha256sum end2end/package-lock.json | cut -c1-16)
  dir="$DESSINE_CACHE/end2end-$key"
  if [ ! -d "$dir/node_modules" ]; then
    rm -rf "$dir.partial" && mkdir -p "$dir.partial"
    cp end2end/package.json end2end/package-lock.json "$dir.partial/"
    (cd "$dir.partial" && npm ci --no-audit --no-fund --silent)
    mv "$dir.partial" "$dir"
  fi
  if [ -d "$link" ] && [ ! -L "$link" ]; then
    return 0 # a developer's own `npm install`: left as it is
  fi
  ln -sfn "$dir/node_modules" "$link"
}
# The map's library (Leaflet, pinned by scripts/map/package-lock.json), installed from npm once
# per version into the cache and copied into public/carte/, where cargo-leptos takes it with the
# other assets (and precompresses it). Only /annuaire/carte loads it.
map_assets() {
  local key dir file
  key=$(sha256sum scripts/map/package-lock.json | cut -c1-16)
  dir="$DESSINE_CACHE/map-$key"
  if [ ! -f "$dir/node_modules/leaflet/dist/leaflet.js" ]; then
    rm -rf "$dir.partial" && mkdir -p "$dir.partial"
    cp scripts/map/package.json scripts/map/package-lock.json "$dir.partial/"
    (cd "$dir.partial" && npm ci --no-audit --no-fund --silent)
    rm -rf "$dir" && mv "$dir.partial" "$dir"
  fi
  for file in dist/leaflet.js dist/leaflet.css LICENSE; do
    local target="public/carte/$(basename "$file")"
    [ "$file" = LICENSE ] && target=public/carte/leaflet-LICENSE.txt
    cmp -s "$dir/node_modules/leaflet/$file" "$target" || cp "$dir/node_modules/leaflet/$file" "$target"
  done
}
build_release() {
  map_assets
  # `cargo leptos build` must succeed on its own: `cargo leptos end-to-end` would hide a failure.
  cargo leptos build --release --precompress
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_healthy() {
  for _ in $(seq 1 100); do
    curl -fsS "$1/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "server at $1 did not become healthy" >&2
  return 1
}

# Cargo compiles a crate again when one of its sources is newer than its last build. A fresh clone
# dates every file from the moment it was cloned, so each CI run compiled the project's crate again
# in full, even for a commit already built. Before a build, `date_sources_as_built NAME` dates back
# (to 2001) each tracked file whose content is the one build NAME last read, and dates the others
# now; `sources_built NAME` records the contents after a successful build. Cargo then compiles
# exactly what changed, wherever the clone is. Each build keeps its own record, so a build that
# did not run never passes for one that did.
sources_contents() {
  local files; files=$(git -c core.quotepath=off ls-files | while IFS= read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done)
  paste <(printf '%s\n' "$files") <(printf '%s\n' "$files" | git hash-object --stdin-paths)
}
date_sources_as_built() {
  local record="$CARGO_TARGET_DIR/sources-built-$1"
  mkdir -p "$CARGO_TARGET_DIR"
  sources_contents > "$record.now"
  if [ -f "$record" ]; then
    comm -12 <(sort "$record") <(sort "$record.now") | cut -f1 | xargs -d '\n' -r touch -d '2001-01-01'
    comm -13 <(sort "$record") <(sort "$record.now") | cut -f1 | xargs -d '\n' -r touch
  else
    cut -f1 "$record.now" | xargs -d '\n' -r touch
  fi
}
sources_built() { mv "$CARGO_TARGET_DIR/sources-built-$1.now" "$CARGO_TARGET_DIR/sources-built-$1"; }
