#!/usr/bin/env bash
# Debian packages the app needs: gettext (compile translations), a CJK font and harfbuzz-subset (PDF with
# embedded Chinese glyphs), poppler-utils (PDF checks in tests), Chromium (browser tests), LibreOffice Writer
# (the Word export rendered to PDF in a test).
# Installs only what is missing; needs root (or sudo) the first time.
set -euo pipefail
want=(gettext fonts-noto-cjk libharfbuzz-subset0 poppler-utils chromium libreoffice-writer)
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
