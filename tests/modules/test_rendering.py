import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modules.rendering import french_typography, render_markdown

HOSTILE = """
## Titre

<script>alert('x')</script>
<img src="x" onerror="alert(1)">
[clic](javascript:alert(1))
<a href="javascript:alert(2)">lien</a>
<iframe src="https://evil.example"></iframe>
<div onclick="alert(3)" style="background:url(javascript:alert(4))">div</div>
<svg onload="alert(5)"><circle/></svg>
[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
"""


def _is_harmless(html: str) -> bool:
    lowered = html.lower()
    return not any(
        bad in lowered
        for bad in (
            "<script",
            "onerror",
            "onload",
            "onclick",
            "javascript:",
            "<iframe",
            "<svg",
            "data:text",
            "style=",
        )
    )


@pytest.mark.django_db
def test_hostile_markdown_renders_harmless():
    html = render_markdown(HOSTILE).html
    assert _is_harmless(html), html
    assert "<h2" in html


@pytest.mark.django_db
def test_glossary_links_point_to_the_glossary_anchor():
    rendered = render_markdown(
        "Le [[equipe-de-soins|l'équipe]] et [[crip]].",
        glossary={"equipe-de-soins": "Équipe de soins", "crip": "CRIP"},
    )
    assert 'href="/glossaire/#equipe-de-soins"' in rendered.html
    assert ">l'équipe</a>" in rendered.html or ">l&#39;équipe</a>" in rendered.html
    assert ">CRIP</a>" in rendered.html
    assert rendered.glossary_slugs == {"equipe-de-soins", "crip"}


@pytest.mark.django_db
def test_admonitions_tables_and_toc_survive_sanitising():
    source = '## Un titre\n\n### Sous-titre\n\n!!! cas "Cas pratique : test"\n    Texte.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n'
    rendered = render_markdown(source)
    assert '<div class="admonition cas">' in rendered.html
    assert "<table>" in rendered.html
    assert [item["id"] for item in rendered.toc] == ["un-titre", "sous-titre"]


def test_french_typography_adds_non_breaking_spaces():
    assert (
        french_typography("Attention : « oui » ? Non !")
        == "Attention\u00a0: «\u00a0oui\u00a0»\u202f? Non\u202f!"
    )
    assert french_typography("https://exemple.fr") == "https://exemple.fr"


@pytest.mark.django_db
@settings(max_examples=60, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("<>\"'=/ :;()[]!#*-_abcjsvgonerrorscriptjavascript")),
        max_size=120,
    )
)
def test_random_markup_never_produces_executable_html(source):
    assert _is_harmless(render_markdown(source).html)
