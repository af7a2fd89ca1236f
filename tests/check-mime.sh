#!/usr/bin/env bash
# The MIME type of Neurowire's network files (data/org.neurowire.Neurowire.mime.xml.in),
# installed into a scratch data folder as `meson install` would: every examples/*.json is
# application/x-neurowire-network, and JSON that is not a Neurowire network stays
# application/json, whatever its name says. Exits 77 (skipped) without update-mime-database
# (shared-mime-info) or gio (libglib2.0-bin).
#   check-mime.sh BUILT_MIME_XML SOURCE_DIR
set -u
xml="$1"
source="$2"
for tool in update-mime-database gio; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "check-mime: $tool is missing (tools/setup.sh installs it): skipped"
    exit 77
  fi
done

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/share/mime/packages"
# The system's types (application/json, its globs) beside ours, as on a desktop.
cp /usr/share/mime/packages/freedesktop.org.xml "$scratch/share/mime/packages/"
cp "$xml" "$scratch/share/mime/packages/org.neurowire.Neurowire.xml"
if ! XDG_DATA_DIRS="$scratch/share" update-mime-database "$scratch/share/mime"; then
  echo "check-mime: update-mime-database refused the MIME type"
  exit 1
fi

failed=0
expect() {
  local file="$1" want="$2" got
  got="$(XDG_DATA_HOME="$scratch/home" XDG_DATA_DIRS="$scratch/share" \
         gio info -a standard::content-type "$file" | sed -n 's/^ *standard::content-type: //p')"
  if [ "$got" = "$want" ]; then
    echo "ok: $(basename "$file") is $got"
  else
    echo "FAIL: $(basename "$file") is '$got', expected $want"
    failed=1
  fi
}

for f in "$source"/examples/*.json; do
  expect "$f" application/x-neurowire-network
done
# A network written compactly, under a name that is not .json (the magic alone).
printf '{"format":"neurowire-spec","version":1,"nodes":[]}' > "$scratch/compact-network"
expect "$scratch/compact-network" application/x-neurowire-network
# JSON that is something else, and JSON that only mentions the format in a longer string.
printf '{"name": "settings", "values": [1, 2, 3]}\n' > "$scratch/other.json"
expect "$scratch/other.json" application/json
printf '{"note": "not a neurowire-spec file"}\n' > "$scratch/mention.json"
expect "$scratch/mention.json" application/json
exit "$failed"
