"""The RGAA audit grid (docs/accessibility-audit.md) and the statement computed from it."""

import re
from decimal import ROUND_DOWN, Decimal

import pytest
from django.urls import reverse

from training.pages import accessibility
from training.pages.accessibility import OFFICIAL_IDS, AuditError, audit_parse

AUDIT = accessibility.AUDIT_FILE.read_text(encoding="utf-8")
ROW = re.compile(r"^\| (\d{1,2}\.\d{1,2}) \| (.+?) \| (C|NC|NA) \| (.+?) \|$", re.M)


def _independent_count() -> dict[str, int]:
    """Count the statuses of the grid with a regular expression, apart from the parser."""
    counts = {"C": 0, "NC": 0, "NA": 0}
    for _id, _title, status, _reason in ROW.findall(AUDIT):
        counts[status] += 1
    return counts


def test_the_grid_holds_the_106_criteria_of_rgaa_4_1_each_with_a_status_and_a_reason():
    rows = ROW.findall(AUDIT)
    assert [row[0] for row in rows] == list(OFFICIAL_IDS)
    assert len(rows) == 106
    assert all(title.endswith("?") for _id, title, _s, _r in rows)  # RGAA asks questions
    assert all(len(reason) >= 10 for *_rest, reason in rows)
    themes = re.findall(r"^### (\d+)\. ", AUDIT, re.M)
    assert themes == [str(n) for n in range(1, 14)]


def test_the_parser_reads_the_same_grid_and_a_sample_of_the_pages_the_issue_asks():
    audit = audit_parse(AUDIT)
    assert audit.count("C") + audit.count("NC") + audit.count("NA") == 106
    assert {s: audit.count(s) for s in ("C", "NC", "NA")} == _independent_count()
    pages = " ".join(page for _code, page, _url in audit.sample).lower()
    for wanted in (
        "accueil",
        "connexion",
        "tableau de bord",
        "leçon",
        "quiz en cours",
        "résultat d'un quiz",
        "étape de la boussole",
        "verdict",
        "signature",
        "session (formateur)",
        "console",
        "exports",
        "mes données",
    ):
        assert wanted in pages, wanted
    assert {item.criterion for item in audit.remaining} == {c.id for c in audit.non_conforming}


def test_the_statement_publishes_the_rate_computed_from_the_grid(client):
    counts = _independent_count()
    rate = (Decimal(100) * counts["C"] / (counts["C"] + counts["NC"])).quantize(
        Decimal("0.1"), rounding=ROUND_DOWN
    )
    html = client.get(reverse("training:accessibility")).content.decode()
    french_rate = str(rate).replace(".", ",")
    assert f"<strong>{french_rate} %</strong>" in html
    assert f"{counts['C']} critères respectés sur {counts['C'] + counts['NC']}" in html
    level = "totalement" if counts["NC"] == 0 else "partiellement" if rate >= 50 else "non"
    assert f"<strong>{level} conforme</strong>" in html
    assert f"Accessibilité : {level} conforme" in html  # the footer, on every page
    assert "2 décembre 2026" in html  # the date of the audit
    for criterion in accessibility.audit_load().non_conforming:
        assert f"Critère {criterion.id}" in html
    assert html.count("Contournement :") == counts["NC"]


def _grid(statuses: dict[str, str]) -> str:
    rows = "\n".join(
        f"| {cid} | Question {cid} ? | {statuses.get(cid, 'C')} | Vérifié par un test. |"
        for cid in OFFICIAL_IDS
    )
    remaining = "\n".join(
        f"| {cid} | toutes | Un problème. | Un contournement. |"
        for cid, status in statuses.items()
        if status == "NC"
    )
    return (
        "# Audit\n\n- Date de l'audit : 2027-01-15\n\n## Échantillon\n\n"
        "| Code | Page | Adresse |\n|---|---|---|\n| P01 | Accueil | `/` |\n\n"
        "## Grille\n\n| Critère | Intitulé | Statut | Justification |\n|---|---|---|---|\n"
        f"{rows}\n\n## Non-conformités restantes\n\n"
        "| Critère | Pages | Problème | Contournement |\n|---|---|---|---|\n"
        f"{remaining}\n"
    )


def test_editing_the_grid_changes_the_statement(client, tmp_path, monkeypatch):
    path = tmp_path / "audit.md"
    statuses = dict.fromkeys(OFFICIAL_IDS[:60], "NC")
    path.write_text(_grid(statuses), encoding="utf-8")
    monkeypatch.setattr(accessibility, "AUDIT_FILE", path)
    html = client.get(reverse("training:accessibility")).content.decode()
    assert "<strong>43,3 %</strong>" in html  # 46 ÷ 106, rounded down
    assert "<strong>non conforme</strong>" in html and "15 janvier 2027" in html
    path.write_text(_grid({"4.1": "NA"}), encoding="utf-8")
    import os

    os.utime(path, (1, 2))  # a new modification time: the audit is read again
    html = client.get(reverse("training:accessibility")).content.decode()
    assert "<strong>100 %</strong>" in html and "<strong>totalement conforme</strong>" in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda text: text.replace("| 13.12 |", "| 13.13 |"), "106 criteria"),
        (
            lambda text: text.replace(
                "| 5.4 | Question 5.4 ? | C |", "| 5.4 | Question 5.4 ? | OK |"
            ),
            "status",
        ),
        (
            lambda text: text.replace("| 1.1 | toutes | Un problème. | Un contournement. |", ""),
            "workaround",
        ),
        (lambda text: text.replace("- Date de l'audit : 2027-01-15", ""), "Date"),
    ],
)
def test_a_malformed_grid_is_refused_rather_than_published(change, message):
    text = change(_grid({"1.1": "NC"}))
    with pytest.raises(AuditError, match=message):
        audit_parse(text)
