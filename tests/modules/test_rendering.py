import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modules.rendering import bind_legal_references, french_typography, render_markdown

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


def test_legal_references_and_amounts_never_split_across_lines():
    text = "l'art. L. 1110-4, le n° 2016-41, al. 2 : 15 000 € ou 4 %"
    assert (
        bind_legal_references(french_typography(text))
        == "l'art.\u00a0L.\u00a01110-4, le n°\u00a02016-41, al.\u00a02\u00a0: 15\u202f000\u202f€ ou"
        " 4\u202f%"
    )
    assert "art. 226-13" in render_markdown("L'art. 226-13.").html  # quizzes, guide: unchanged


@pytest.mark.django_db
def test_hyphenated_numbers_are_kept_whole_in_text_but_not_in_links():
    html = render_markdown(
        "L'art. 226-13 et la [version](https://exemple.fr/2002-01-03).", keep_references=True
    ).html
    assert '<span class="text-nowrap">226-13</span>' in html
    assert 'href="https://exemple.fr/2002-01-03"' in html


@pytest.mark.django_db
def test_a_glossary_term_reads_in_lower_case_inside_a_sentence_but_acronyms_keep_capitals():
    html = render_markdown(
        "Le [[secret-professionnel]] et la [[crip]].",
        glossary={"secret-professionnel": "Secret professionnel", "crip": "CRIP"},
    ).html
    assert ">secret professionnel</a>" in html
    assert ">CRIP</a>" in html


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
