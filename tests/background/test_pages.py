"""The administrators' page of background work."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_the_page_says_when_the_queue_does_not_move(client, administrator, settings):
    from tests.background.failing import always_fails

    always_fails.enqueue("en attente")
    client.force_login(administrator)
    page = client.get(reverse("training:task_failures")).content.decode()
    assert "La file avance." in page and "1 tâche prête à s’exécuter" in page
    later = timezone.now() + datetime.timedelta(minutes=settings.TASKS_STUCK_MINUTES + 5)
    with time_machine.travel(later, tick=False):
        page = client.get(reverse("training:task_failures")).content.decode()
    assert "La file n’avance pas" in page
    assert f"attend depuis {settings.TASKS_STUCK_MINUTES + 5} min" in page
    assert "Aucun travailleur n’a donné signe de vie récemment." in page


def test_trainers_do_not_reach_the_page(client, trainer):
    client.force_login(trainer)
    assert client.get(reverse("training:task_failures")).status_code == 403
