#!/usr/bin/env bash
# Start the embedded system: migrate, load demo data once, then web server + Celery worker with beat.
set -euo pipefail
HOST=${1:-127.0.0.1}; PORT=${2:-8000}
PY=.venv/bin/python
export DJANGO_DEBUG=${DJANGO_DEBUG:-1}
$PY manage.py migrate --noinput -v0
$PY manage.py seed_demo --once
$PY manage.py seed_complaints_demo --once
$PY manage.py seed_amendments_demo --once
.venv/bin/celery -A convention worker -B --loglevel=INFO --concurrency=2 \
  --schedule var/celerybeat-schedule >var/worker.log 2>&1 &
WORKER=$!
WEB=
# Ctrl-C, a TERM to this script or either process ending stops both (no orphaned worker or server).
trap 'kill $WORKER $WEB 2>/dev/null; wait 2>/dev/null' EXIT INT TERM
cat <<MSG

  Site:   http://$HOST:$PORT/
  Admin:  http://$HOST:$PORT/admin/
          staff superusers:           admin@example.org, admin2@example.org / demo-admin-2026
          reviewers:                  reviewer1@example.org, reviewer2@example.org / demo-reviewer-2026
          publishers (ballots, lists): publisher1@example.org, publisher2@example.org / demo-publisher-2026
          complaint officers:         officer@example.org, officer2@example.org / demo-officer-2026
          Staff need a second factor: the first login at /admin/ leads to enrolling a TOTP app
  Portal: http://$HOST:$PORT/portal/
          representatives:            rep1@example.org (and colleague rep1b@example.org), rep2@example.org
                                      (withdrawal scheduled), rep3@example.org / demo-rep-2026
          applicant awaiting review:  applicant@example.org / demo-rep-2026
          applicant with a draft:     applicant2@example.org / demo-rep-2026
  Worker + beat log: var/worker.log      Outgoing e-mail (files): var/mail/

MSG
$PY manage.py runserver "$HOST:$PORT" --noreload &
WEB=$!
wait -n $WORKER $WEB
