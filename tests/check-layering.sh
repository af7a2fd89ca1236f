#!/usr/bin/env bash
# The layering of docs/DESIGN.md, checked on the sources: ui/ includes no cl/ header and no
# OpenCL header (devices reach it through core's NwDevices), core/ includes no GTK, GDK and no
# OpenCL header, cl/ no GTK. Prints each include that breaks it, with file and line; exits 1
# if there is one.
#   tests/check-layering.sh [SOURCE_DIR]
set -u
src=${1:-$(dirname "$0")/..}
cd "$src" || exit 2
status=0

cl_headers=$(cd cl && ls *.h | sed 's/\./\\./g' | paste -sd'|')

check() {   # folder, regex of forbidden includes, what the rule says
  local dir=$1 pattern=$2 rule=$3 hits
  hits=$(grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($pattern)[>\"]" \
           "$dir"/*.c "$dir"/*.h $(ls -d "$dir"/*/ 2>/dev/null | sed 's|$|*.[ch]|') 2>/dev/null)
  if [ -n "$hits" ]; then
    echo "$rule:"
    echo "$hits" | sed 's/^/  /'
    status=1
  fi
}

check ui   "($cl_headers)|CL/[^>\"]*|OpenCL/[^>\"]*" "ui/ must not include cl/ or OpenCL headers (use core/nw-device.h)"
check core "($cl_headers)|CL/[^>\"]*|OpenCL/[^>\"]*|gtk/[^>\"]*|gdk/[^>\"]*|graphene[^>\"]*|cairo[^>\"]*" \
           "core/ must not include GTK, Cairo, cl/ or OpenCL headers"
check cl   "gtk/[^>\"]*|gdk/[^>\"]*" "cl/ must not include GTK headers"

# The build says the same: ui's library must not link cl's.
if grep -qE "cl_dep|opencl_dep" ui/meson.build; then
  echo "ui/meson.build must not depend on cl_dep or OpenCL"
  status=1
fi
if grep -qE "gtk_dep|opencl_dep|cl_dep" core/meson.build; then
  echo "core/meson.build must not depend on GTK or OpenCL"
  status=1
fi

[ "$status" = 0 ] && echo "layering: ui -> core, cl -> core, core -> GLib only: OK"
exit $status
