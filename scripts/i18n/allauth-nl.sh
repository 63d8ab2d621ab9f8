#!/usr/bin/env bash
# Rebuild locale/nl/LC_MESSAGES/django.{po,mo}: allauth's Dutch catalogue in the "u" form and
# with one word for MFA ("tweestapsverificatie"). LOCALE_PATHS wins over allauth's own
# catalogue. Run after upgrading allauth; needs GNU gettext (msgfilter, msgfmt).
set -euo pipefail
cd "$(dirname "$0")/../.."
bron=".venv/lib/python3.11/site-packages/allauth/locale/nl/LC_MESSAGES/django.po"
msgfilter --keep-header -i "$bron" -o locale/nl/LC_MESSAGES/django.po sed -f scripts/i18n/u-vorm.sed
msgfmt -o locale/nl/LC_MESSAGES/django.mo locale/nl/LC_MESSAGES/django.po
