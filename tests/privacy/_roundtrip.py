"""Run inside ``manage.py shell`` by test_backup: seed, snapshot or damage a file database."""

import json
import os
import sys

from django.apps import apps
from django.db import connection

action = os.environ["ROUNDTRIP_ACTION"]

if action == "seed":
    from tests.factories import attested_session

    attested_session(trainees=3)
elif action == "damage":
    from training.attendance.models import AttendanceSignature

    AttendanceSignature.objects.filter(pk=AttendanceSignature.objects.order_by("pk")[0].pk).update(
        status="absent", typed_name="falsifié"
    )
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM training_auditevent")
elif action == "snapshot":
    from training.attendance.selectors import evidence_fingerprint
    from training.models import TrainingSession

    counts = {}
    for model in apps.get_models(include_auto_created=True):
        counts[model._meta.db_table] = model._default_manager.count()
    fingerprints = {s.code: evidence_fingerprint(session=s) for s in TrainingSession.objects.all()}
    sys.stdout.write("SNAPSHOT" + json.dumps({"counts": counts, "fingerprints": fingerprints}))
