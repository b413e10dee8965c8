import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.typography import french, french_html, french_text
from modules.rendering import render_markdown

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


def test_french_text_adds_non_breaking_spaces():
    assert (
        french_text("Attention : « oui » ? Non !")
        == "Attention\u00a0: «\u00a0oui\u00a0»\u202f? Non\u202f!"
    )
    assert french_text("https://exemple.fr à 10:30") == "https://exemple.fr à 10:30"
    assert french_text(french_text("« oui » ? 15 000 €")) == french_text("« oui » ? 15 000 €")


def test_legal_references_and_amounts_never_split_across_lines():
    text = "l'art. L. 1110-4, le n° 2016-41, al. 2 : 15 000 € ou 4 %, § 15"
    assert (
        french_text(text)
        == "l'art.\u00a0L.\u00a01110-4, le n°\u00a02016-41, al.\u00a02\u00a0: 15\u202f000\u202f€ ou"
        " 4\u202f%, §\u00a015"
    )


def test_french_html_spaces_text_but_never_tags_nor_code():
    html = '<p title="a : b">Note :</p><pre><code>x ? y : z</code></pre><code>a ; b</code> !'
    assert (
        french_html(html)
        == '<p title="a : b">Note\u00a0:</p><pre><code>x ? y : z</code></pre><code>a ; b</code>\u202f!'
    )
    assert french("<b>Le droit</b> : 2 h") == "&lt;b&gt;Le droit&lt;/b&gt;\u00a0: 2\u202fh"


@pytest.mark.django_db
def test_markdown_gets_french_spacing_in_its_text_but_its_syntax_is_untouched():
    source = (
        "## Cas : « test »\n\n"
        "Terme\n: définition ?\n\n"
        "| a : b | c ! |\n|---|---|\n| 1 ; 2 | 10:30 |\n\n"
        '`x ? y` et [lien ?](https://exemple.fr/a:b "Titre : x")\n\n'
        "    code : bloc ?\n"
    )
    rendered = render_markdown(source)
    html = rendered.html.replace("&nbsp;", "\u00a0")
    assert '<h2 id="cas-test">Cas\u00a0: «\u00a0test\u00a0»</h2>' in html
    assert "<dt>Terme</dt>" in html and "<dd>définition\u202f?</dd>" in html
    assert "<th>a\u00a0: b</th>" in html and "<th>c\u202f!</th>" in html
    assert "<td>1\u202f; 2</td>" in html and "<td>10:30</td>" in html
    assert "<code>x ? y</code>" in html and "<code>code : bloc ?\n</code>" in html
    assert 'href="https://exemple.fr/a:b"' in html and 'title="Titre : x"' in html
    assert ">lien\u202f?</a>" in html
    assert rendered.toc[0]["name"] == "Cas\u00a0: «\u00a0test\u00a0»"


@pytest.mark.django_db
def test_hyphenated_numbers_are_kept_whole_in_text_but_not_in_links_nor_code():
    html = render_markdown(
        "L'art. 226-13 et la [version](https://exemple.fr/2002-01-03), `2002-01-03`."
    ).html
    assert '<span class="text-nowrap">226-13</span>' in html
    assert "art.&nbsp;<span" in html
    assert 'href="https://exemple.fr/2002-01-03"' in html
    assert "<code>2002-01-03</code>" in html


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
