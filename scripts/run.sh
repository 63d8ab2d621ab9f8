#!/usr/bin/env bash
# The README's run command: the embedded default (SQLite, file-system broker, mail to files).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh base
export DEMO_MODE="${DEMO_MODE:-1}"
export MFA_REQUIRED="${MFA_REQUIRED:-0}"   # the demo says so on its login page
export ROUTETOOL_PORT="${ROUTETOOL_PORT:-8000}"
export SITE_URL="${SITE_URL:-http://127.0.0.1:$ROUTETOOL_PORT}"
echo "==> Database bijwerken"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py laad_referentiedata
.venv/bin/python manage.py collectstatic --noinput -v0
echo "==> Demodata"
.venv/bin/python manage.py seed_demo
# Last month's lists of the demo coalitions exist at once (idempotent: made once per SWV/month),
# so the penvoerder and SWV contacts find lists instead of waiting for the 1st.
.venv/bin/python manage.py maandlijsten --coalitie zuid-west --coalitie oost
cat <<MSG

  Routetool draait op  $SITE_URL
  Mail wordt geschreven naar  var/mail/   (Ctrl-C stopt alles)

MSG
exec .venv/bin/honcho start -f Procfile
