#!/usr/bin/env bash
# The Debian packages QualityHub needs beyond Python's: pango for WeasyPrint's PDFs, gettext for
# the translation catalogues (makemessages, compilemessages). Installs what is missing when run
# as root (CI, a fresh machine); otherwise names what to install.
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext)
[ "${1:-}" = "--with-browser" ] && packages+=(chromium)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
else
  echo "QualityHub needs these Debian packages: ${missing[*]} (sudo apt-get install ${missing[*]})" >&2
fi
