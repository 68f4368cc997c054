#!/usr/bin/env bash
# Install the Debian packages the project needs (WeasyPrint, Chinese fonts, HarfBuzz subsetter,
# Chromium for browser tests, poppler for PDF checks; fontconfig for fc-match, the bulletin font check). Safe to run again; says clearly when it cannot.
set -u
PKGS="fonts-noto-cjk fontconfig libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 libmagic1 chromium poppler-utils"
missing=""
for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "!! Cannot install system packages (no apt-get). Please install:$missing" >&2; exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "!! Not root and no password-less sudo: please install:$missing" >&2
    echo "!! PDFs need the fonts and HarfBuzz; browser tests need chromium (they are skipped without it)." >&2
    exit 0
  fi
fi
echo ">> installing system packages:$missing"
$SUDO apt-get update -qq || true
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null \
  || echo "!! apt-get could not install:$missing (PDF fonts or browser tests may be missing)" >&2
