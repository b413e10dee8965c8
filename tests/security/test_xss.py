"""Hostile text (names, organisation, session texts, resources, free answers) never executes."""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modules.rendering import render_markdown
from tests.security.world import world_build

pytestmark = pytest.mark.django_db

PAYLOADS = [
    line
    for line in (Path(__file__).parent / "xss_payloads.txt").read_text().splitlines()
    if line.strip() and not line.startswith("# ")
]
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text", "data:application")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset"}


class Executable(HTMLParser):
    """Collect whatever in a page could run script."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            source = attributes.get("src") or ""
            if attributes.get("type") != "application/json" and not source.startswith("/static/"):
                self.problems.append(f"<script src={source!r}>")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("<meta refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name == "style":
                self.problems.append(f"<{tag} style=…>")
            if name in URL_ATTRIBUTES and value:
                cleaned = "".join(value.split()).lower()
                if cleaned.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def executable_parts(html: str) -> list[str]:
    parser = Executable()
    parser.feed(html)
    parser.close()
    return parser.problems


def test_the_corpus_has_at_least_fifty_payloads():
    assert len(PAYLOADS) >= 50


def test_the_checker_catches_what_it_must():
    for html in [
        "<script>x</script>",
        '<img src=x onerror="a()">',
        '<a href=" JavaScript:a()">x</a>',
        '<iframe src="/"></iframe>',
        '<p style="color:red">x</p>',
    ]:
        assert executable_parts(html), html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_markdown_renderer_never_outputs_executable_html(payload):
    assert executable_parts(render_markdown(payload).html) == []
    assert executable_parts(render_markdown(f"Texte **gras** {payload} [lien](/x)").html) == []


# Markdown syntax that wraps or carries hostile text: links, images, raw HTML, code, tables.
MARKDOWN_WRAPPERS = [
    "{}",
    "**{}**",
    "[lien]({})",
    "[{}](/ok)",
    "![image]({})",
    '<div markdown="1">{}</div>',
    "`{}`",
    "> {}",
    "- {}",
    "| a | b |\n|---|---|\n| {} | x |",
    "[ref][r]\n\n[r]: {}",
    "<{}>",
]
markdown_fragments = st.sampled_from(PAYLOADS) | st.text(
    alphabet=st.sampled_from(list("<>\"'=/:;&#()[]!`*_ \nascriptjvonerlimgfhd")), max_size=40
)
markdown_documents = st.lists(
    st.tuples(st.sampled_from(MARKDOWN_WRAPPERS), markdown_fragments).map(
        lambda pair: pair[0].format(pair[1])
    ),
    min_size=1,
    max_size=6,
).map("\n\n".join)


@settings(max_examples=300, deadline=None)
@given(source=markdown_documents)
def test_any_markdown_mixing_syntax_and_payloads_renders_without_executable_html(source):
    assert executable_parts(render_markdown(source).html) == []


# --- Every page that shows user text ----------------------------------------------------------

ROUNDS = 12  # 6 payloads per round, each in two or three places


def _fit(model, field, value):
    limit = model._meta.get_field(field).max_length
    return value[:limit] if limit else value


def _hostile_world(chunk):
    from training.models import TrainingSession, User

    p = (chunk * 6)[:6]

    def user(first, last, organisation, profession):
        return {
            "first_name": _fit(User, "first_name", first),
            "last_name": _fit(User, "last_name", last),
            "organisation": _fit(User, "organisation", organisation),
            "profession": _fit(User, "profession", profession),
        }

    names = {
        "trainee": user(p[0], p[1], p[2], p[3]),
        "trainer": user(p[3], p[4], p[5], p[0]),
        "admin": user(p[5], p[0], p[1], p[2]),
        "session": {
            "title": _fit(TrainingSession, "title", p[4]),
            "place_name": _fit(TrainingSession, "place_name", p[5]),
            "address": p[0],
            "access_notes": p[1],
            "notes": p[2],
        },
    }
    world = world_build(**names)
    from training.sessions import services

    services.session_resource_create(
        session=world.session,
        kind="bibliography",
        title=_fit(TrainingSession, "title", p[3]),
        authors=p[4][:200],
        description=p[5],
    )
    return world


def _pages(world):
    s = world.session.pk
    slot = world.slot.pk
    return {
        "trainer": [
            reverse("training:dashboard"),
            reverse("training:session_detail", args=[s]),
            reverse("training:session_trainees", args=[s]),
            reverse("training:session_resources", args=[s]),
            reverse("training:session_update", args=[s]),
            reverse("training:session_list"),
            reverse("training:session_calendar"),
            reverse("training:attendance_session", args=[s]),
            reverse("training:attendance_signature_correct", args=[s, world.signature.pk]),
            reverse("training:session_documents", args=[s]),
            reverse("quizzes:quiz_results", args=[world.quiz.slug]),
            reverse("training:profile"),
        ],
        "trainee": [
            reverse("training:dashboard"),
            reverse("training:profile"),
            reverse("training:session_detail", args=[s]),
            reverse("training:session_resources", args=[s]),
            reverse("training:attendance_session", args=[s]),
            reverse("training:attendance_sign", args=[slot]),
            reverse("training:attendance_sign_home"),
        ],
        "admin": [
            reverse("training:session_admin_list"),
            reverse("training:session_detail", args=[s]),
            reverse("training:session_trainees", args=[s]),
            reverse("training:attendance_export"),
        ],
    }


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_user_text_is_never_executable_on_any_page_that_shows_it(course_loaded, round_number):
    size = -(-len(PAYLOADS) // ROUNDS)
    chunk = PAYLOADS[round_number * size : (round_number + 1) * size]
    world = _hostile_world(chunk)
    problems = []
    for role, urls in _pages(world).items():
        client = Client()
        client.force_login(world.users[role])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            problems.extend(f"{url}: {p}" for p in executable_parts(response.content.decode()))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("payload", PAYLOADS[::4])
def test_the_boussole_free_text_answer_is_shown_back_inert(course_loaded, client, payload):
    from boussole.models import Case
    from tests.factories import UserFactory

    case = Case.objects.order_by("pk").first()
    client.force_login(UserFactory(role="Stagiaire"))
    verdict = case.guide.graph["verdict_order"][0]
    response = client.post(case.get_absolute_url(), {"verdict": verdict, "reasoning": payload})
    assert response.status_code == 200
    assert executable_parts(response.content.decode()) == []


def test_a_session_form_with_hostile_values_shows_them_back_inert(course_loaded, client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(role="Formateur"))
    payload = '"><script>window.__xss=1</script><img src=x onerror=window.__xss=1>'
    response = client.post(
        reverse("training:session_create"),
        {"title": payload, "place_name": payload, "notes": payload, "dates": payload},
    )
    assert response.status_code == 200
    assert executable_parts(response.content.decode()) == []


# --- Property: any name or organisation ---------------------------------------------------------

names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=60,
) | st.sampled_from(PAYLOADS).map(lambda p: p[:150])


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first=names, last=names, organisation=names)
def test_any_name_or_organisation_is_rendered_inert(course_loaded, first, last, organisation):
    from tests.factories import EnrolmentFactory, SessionFactory, UserFactory

    trainer = UserFactory(role="Formateur", first_name=first, organisation=organisation)
    trainee = UserFactory(
        role="Stagiaire", first_name=first, last_name=last, organisation=organisation
    )
    session = SessionFactory(trainers=[trainer], title=first[:250])
    EnrolmentFactory(session=session, trainee=trainee)
    for user, url in [
        (trainer, reverse("training:session_trainees", args=[session.pk])),
        (trainer, reverse("training:session_detail", args=[session.pk])),
        (trainee, reverse("training:profile")),
        (trainee, reverse("training:dashboard")),
    ]:
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert executable_parts(response.content.decode()) == []
