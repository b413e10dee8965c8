"""The browser half of the production smoke test (scripts/smoke_production.sh runs it).

Against the deployed site, through nginx and only through it (plus one probe of gunicorn
as a load balancer would do): the three roles choose their password from their invitation
link and log in; every main page of each role answers 200 with its hashed CSS and JS loaded,
cached for a year; the trainer schedules today's session, enrols a new trainee (whose
invitation arrives by email) and opens the half-day; the trainee signs; the trainer
downloads the handout; the administrator downloads the attendance export; the login
lockout counts the visitor's address forwarded by nginx. Prints what it saw; exits non-zero
at the first thing that is not as production needs it.
"""

from __future__ import annotations

import datetime
import http.client
import json
import os
import re
import ssl
import sys
import time
import urllib.parse
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

BASE = os.environ["SMOKE_BASE_URL"]
HTTP_URL = os.environ["SMOKE_HTTP_URL"]
GUNICORN_URL = os.environ["SMOKE_GUNICORN_URL"]
WORK = Path(os.environ["SMOKE_WORK"])
MEDIA_ROOT = Path(os.environ["SMOKE_MEDIA_ROOT"])
GUNICORN_LOG = Path(os.environ["SMOKE_GUNICORN_LOG"])
NGINX_LOG = Path(os.environ["SMOKE_NGINX_LOG"])
WORKER_LOG = Path(os.environ["SMOKE_WORKER_LOG"])
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PASSWORD = "Smoke-" + os.urandom(9).hex()
HASHED = re.compile(r"\.[0-9a-f]{12}\.(css|js)$")
TRAINEE_EMAIL = "samir.benali@smoke.example"

COMMON = [
    "/",
    "/tableau-de-bord/",
    "/cours/",
    "/glossaire/",
    "/cours/ressources/",
    "/quiz/",
    "/quiz/mes-resultats/",
    "/boussole/",
    "/boussole/cas/",
    "/emargement/",
    "/calendrier/abonnement/",
    "/mes-donnees/",
    "/profil/",
    "/mentions-legales/",
    "/confidentialite/",
    "/accessibilite/",
]
TRAINER = ["/sessions/", "/sessions/calendrier/", "/sessions/nouvelle/", "/quiz/resultats/"]
ADMINISTRATOR = [
    "/sessions/toutes/",
    "/emargement/exports/",
    "/administration/journal/",
    "/administration/effacements/",
    "/boussole/plan/",
    "/admin/",
]
seen_static: dict[str, dict] = {}
report: dict[str, object] = {}


def say(message: str) -> None:
    print(f"[smoke/browser] {message}", flush=True)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"[smoke/browser] FAILED: {message}")


def static_check(context, page, path: str) -> None:
    """Every stylesheet and script of the page: hashed name, loaded, cached for a year."""
    assets = page.evaluate(
        """() => ({
            css: [...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.href),
            js: [...document.querySelectorAll('script[src]')].map(s => s.src),
            applied: [...document.styleSheets].filter(s => s.href).map(s => {
                try { return [s.href, s.cssRules.length]; } catch (e) { return [s.href, -1]; }
            }),
        })"""
    )
    check(assets["css"] and assets["js"], f"{path}: no stylesheet or no script")
    rules = dict(assets["applied"])
    for url in assets["css"]:
        check(rules.get(url, 0) > 0, f"{path}: stylesheet not applied: {url}")
    if any("/bootstrap.bundle." in url for url in assets["js"]):
        check(page.evaluate("() => typeof window.bootstrap") == "object", f"{path}: Bootstrap JS")
    for url in assets["css"] + assets["js"]:
        check(urllib.parse.urlsplit(url).path.startswith("/static/"), f"{path}: {url}")
        check(bool(HASHED.search(url)), f"{path}: not a hashed name: {url}")
        if url not in seen_static:
            response = context.request.get(url, headers={"Accept-Encoding": "gzip, br"})
            headers = response.headers
            seen_static[url] = {
                "status": response.status,
                "cache-control": headers.get("cache-control", ""),
                "content-encoding": headers.get("content-encoding", ""),
                "content-type": headers.get("content-type", ""),
            }
        got = seen_static[url]
        check(got["status"] == 200, f"{url}: {got['status']}")
        check(
            "max-age=315360000" in got["cache-control"] and "immutable" in got["cache-control"],
            f"{url}: cache {got['cache-control']!r}",
        )
        check(got["content-encoding"] in ("gzip", "br"), f"{url}: not compressed")


def visit(context, page, path: str) -> None:
    response = page.goto(BASE + path)
    check(
        response is not None and response.status == 200, f"{path}: {response and response.status}"
    )
    static_check(context, page, path)


def new_context(browser):
    context = browser.new_context(
        ignore_https_errors=True, locale="fr-FR", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    # Content-Security-Policy violations show up as console errors; failed loads are taken
    # from the responses, with their address (the browser's own /favicon.ico probe on the
    # Django admin's pages, which name no icon, is not one of ours).
    page.on(
        "console",
        lambda msg: (
            page.errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            page.errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico")
            else None
        ),
    )
    return context, page


def choose_password(page, link: str) -> None:
    check(link.startswith(BASE + "/comptes/reinitialisation/"), f"invitation link {link!r}")
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choisir un mot de passe")
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.get_by_role("button", name="Enregistrer mon mot de passe").click()
    page.wait_for_load_state("networkidle")
    check("/comptes/reinitialisation/termine/" in page.url, f"password not set: {page.url}")


def login(page, email: str) -> None:
    page.goto(BASE + "/comptes/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state("networkidle")
    check(page.url.rstrip("/").endswith("/tableau-de-bord"), f"{email}: login led to {page.url}")


def walk(context, page, role: str, paths: list[str]) -> None:
    for path in paths:
        visit(context, page, path)
    check(page.errors == [], f"{role}: errors in the browser: {page.errors[:5]}")
    say(f"{role}: {len(paths)} pages answered 200 with their CSS and JS")
    report[f"pages_{role}"] = len(paths)


def invitation_from_log(email: str) -> str:
    """The invitation email, printed by the console email backend in the task worker's log
    (emails leave through the worker, deploy/partage-worker.service)."""
    for _ in range(60):
        for message in WORKER_LOG.read_text(errors="replace").split("-" * 79):
            if f"To: {email}" in message:
                found = re.search(r"https://\S+/comptes/reinitialisation/[^/\s]+/[^/\s]+/", message)
                if found:
                    return found.group(0)
        time.sleep(0.5)
    raise SystemExit(f"[smoke/browser] FAILED: no invitation email for {email} in the log")


def draw(page) -> None:
    canvas = page.locator("[data-signature-canvas]")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + w * 0.1, y + h * 0.7)
    page.mouse.down()
    for fx, fy in ((0.25, 0.2), (0.4, 0.8), (0.55, 0.3), (0.7, 0.75), (0.9, 0.25)):
        page.mouse.move(x + w * fx, y + h * fy, steps=8)
    page.mouse.up()


# --- The login lockout, seen from several client addresses --------------------------------


def login_attempt(source: str, email: str, password: str, forwarded: str = "") -> int:
    """POST the login form from ``source`` (a loopback address) through nginx."""
    parts = urllib.parse.urlsplit(BASE)
    tls = ssl.create_default_context()
    tls.check_hostname = False
    tls.verify_mode = ssl.CERT_NONE

    def connection():
        return http.client.HTTPSConnection(
            parts.hostname, parts.port, context=tls, source_address=(source, 0), timeout=30
        )

    extra = {"X-Forwarded-For": forwarded} if forwarded else {}
    conn = connection()
    conn.request("GET", "/comptes/connexion/", headers=extra)
    response = conn.getresponse()
    body = response.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    conn.close()
    conn = connection()
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": email, "password": password}
    )
    conn.request(
        "POST",
        "/comptes/connexion/",
        body=form,
        headers={
            **extra,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
            "Referer": BASE + "/comptes/connexion/",
            "Origin": BASE,
        },
    )
    status = conn.getresponse().status
    conn.close()
    return status


def lockout_check(email: str) -> None:
    statuses = [login_attempt("127.0.0.2", email, "wrong-password") for _ in range(5)]
    check(statuses == [200, 200, 200, 200, 429], f"five failures from 127.0.0.2: {statuses}")
    spoofed = login_attempt("127.0.0.2", email, PASSWORD, forwarded="203.0.113.9")
    check(spoofed == 429, f"a forged X-Forwarded-For escaped the lock: {spoofed}")
    other = login_attempt("127.0.0.3", email, PASSWORD)
    check(other == 302, f"the same account from another address: {other}")
    say(
        "lockout: 127.0.0.2 locked after 5 failures (429), still locked with a forged "
        "X-Forwarded-For; 127.0.0.3 logs in (302)"
    )
    report["lockout"] = {"127.0.0.2": statuses, "forged": spoofed, "127.0.0.3": other}


def raw_get(url: str) -> tuple[int, dict]:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https":
        tls = ssl.create_default_context()
        tls.check_hostname = False
        tls.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection(parts.hostname, parts.port, context=tls, timeout=30)
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request("GET", parts.path or "/", headers={"Host": "127.0.0.1"})
    response = conn.getresponse()
    response.read()
    headers = {k.lower(): v for k, v in response.getheaders()}
    conn.close()
    return response.status, headers


def main() -> None:
    today = datetime.date.today()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )

        # The administrator and the trainer: accounts made by create_account.
        admin_context, admin = new_context(browser)
        choose_password(admin, os.environ["SMOKE_ADMIN_LINK"])
        trainer_context, trainer = new_context(browser)
        choose_password(trainer, os.environ["SMOKE_TRAINER_LINK"])

        login(trainer, "formatrice@smoke.example")
        response = trainer.goto(BASE + "/")
        report["page_headers"] = {
            k: v
            for k, v in response.headers.items()
            if k
            in (
                "content-type",
                "cache-control",
                "strict-transport-security",
                "content-security-policy",
                "x-frame-options",
                "x-content-type-options",
                "referrer-policy",
                "x-request-id",
                "server",
            )
        }
        report["request_id"] = response.headers.get("x-request-id", "")
        walk(trainer_context, trainer, "trainer", COMMON + TRAINER)

        # The trainer schedules today's session and enrols a new trainee.
        trainer.goto(BASE + "/sessions/nouvelle/")
        trainer.get_by_label("Jour 1").fill(today.isoformat())
        trainer.get_by_label("Jour 2").fill((today + datetime.timedelta(days=1)).isoformat())
        trainer.get_by_label("Lieu", exact=True).fill("Salle du conseil")
        trainer.get_by_role("button", name="Enregistrer la session").click()
        trainer.wait_for_load_state("networkidle")
        session_path = urllib.parse.urlsplit(trainer.url).path
        check(re.fullmatch(r"/sessions/\d+/", session_path) is not None, f"session: {trainer.url}")
        trainer.goto(BASE + session_path + "stagiaires/")
        trainer.get_by_label("Adresse électronique").fill(TRAINEE_EMAIL)
        trainer.get_by_label("Prénom").fill("Samir")
        trainer.get_by_label("Nom", exact=True).fill("Benali")
        trainer.get_by_role("button", name="Inscrire", exact=True).click()
        trainer.wait_for_load_state("networkidle")
        check(trainer.get_by_text("Samir Benali").count() >= 1, "the trainee is not enrolled")
        walk(
            trainer_context,
            trainer,
            "trainer (session)",
            [
                session_path,
                session_path + "stagiaires/",
                session_path + "emargement/",
                session_path + "documents/",
                session_path + "ressources/",
            ],
        )
        say(f"trainer: session {session_path} created, Samir Benali enrolled")

        # The trainee: invitation email (the worker's log), password, pages.
        link = invitation_from_log(TRAINEE_EMAIL)
        trainee_context, trainee = new_context(browser)
        choose_password(trainee, link)
        say(f"trainee: the emailed link ({link.split('/comptes')[0]}/…) chose a password")
        login(trainee, TRAINEE_EMAIL)
        walk(trainee_context, trainee, "trainee", COMMON + [session_path])

        # The trainer opens the half-day; the trainee signs with the code on the screen.
        trainer.goto(BASE + session_path + "emargement/")
        trainer.get_by_role("button", name=re.compile("Ouvrir l'émargement")).first.click()
        trainer.wait_for_load_state("networkidle")
        code = trainer.locator("[data-code]").inner_text().replace("\u00a0", "").replace(" ", "")
        check(re.fullmatch(r"\d{6}", code) is not None, f"attendance code {code!r}")
        trainee.goto(BASE + "/tableau-de-bord/")
        trainee.get_by_role("link", name=re.compile("^Signer")).first.click()
        trainee.get_by_label("Code affiché à l'écran").fill(code)
        draw(trainee)
        trainee.get_by_role("button", name="Signer", exact=True).click()
        expect(trainee.locator(".alert-success").first).to_contain_text("signature est enregistrée")
        check(trainee.errors == [], f"trainee: errors in the browser: {trainee.errors[:5]}")
        say("trainee: signed the open half-day")

        # The trainer downloads the handout PDF.
        handout = trainer_context.request.get(
            BASE + session_path + "documents/support-diaporama.pdf"
        )
        check(handout.status == 200, f"handout: {handout.status}")
        check(handout.headers.get("content-type") == "application/pdf", "handout content type")
        body = handout.body()
        check(body.startswith(b"%PDF"), "handout is not a PDF")
        (WORK / "handout.pdf").write_bytes(body)
        say(f"trainer: handout PDF downloaded ({len(body) // 1024} kB)")
        report["handout_bytes"] = len(body)

        # The administrator: pages, then the attendance export (CSV).
        login(admin, "admin@smoke.example")
        walk(admin_context, admin, "administrator", COMMON + TRAINER + ADMINISTRATOR)
        admin.goto(BASE + "/emargement/exports/")
        with admin.expect_download() as download:
            admin.get_by_role("button", name="Télécharger les lignes (CSV)").click()
        path = download.value.path()
        rows = Path(path).read_bytes().decode("utf-8-sig").splitlines()
        check(len(rows) >= 2 and "Benali" in "\n".join(rows), f"attendance export: {rows[:3]}")
        say(f"administrator: attendance export downloaded ({len(rows)} lines, Samir Benali in it)")
        screenshot = WORK / "admin-dashboard.png"
        admin.goto(BASE + "/tableau-de-bord/")
        admin.screenshot(path=str(screenshot), full_page=True)

        # Files under MEDIA_ROOT are never served from disk by nginx.
        evidence = sorted(p for p in MEDIA_ROOT.rglob("*") if p.is_file())
        check(evidence, "no media file written (signature evidence, documents)")
        relative = evidence[0].relative_to(MEDIA_ROOT).as_posix()
        media = admin_context.request.get(f"{BASE}/media/{relative}")
        check(media.status == 404, f"/media/{relative} answered {media.status}")
        say(f"/media/{relative} (exists on disk): 404 through nginx")
        browser.close()

    lockout_check(TRAINEE_EMAIL)

    # Transport: plain http redirects to https; the load balancer's probe of gunicorn itself.
    status, headers = raw_get(HTTP_URL + "/tableau-de-bord/")
    check(status == 301 and headers["location"].startswith("https://"), f"http: {status}")
    status, _headers = raw_get(GUNICORN_URL + "/sante/")
    check(status == 200, f"gunicorn's /sante/ over plain http: {status}")
    status, headers = raw_get(BASE + "/sante/")
    report["health"] = status
    say("http → https redirect; /sante/ answers 200 from nginx and from gunicorn directly")

    # One request id in nginx's log, gunicorn's JSON access log and the response.
    request_id = report["request_id"]
    check(bool(request_id) and request_id in NGINX_LOG.read_text(), "request id not in nginx's log")
    access = [
        json.loads(line)
        for line in GUNICORN_LOG.read_text(errors="replace").splitlines()
        if line.startswith("{") and '"gunicorn.access"' in line
    ]
    check(access, "gunicorn's access log is not JSON")
    matching = [entry for entry in access if entry.get("request_id") == request_id]
    check(matching, f"request {request_id} not in gunicorn's access log")
    report["access_log_entry"] = matching[0]
    forwarded = {entry.get("forwarded_for") for entry in access}
    check(any(value and "127.0.0.2" in value for value in forwarded), "no forwarded address")
    report["static_headers"] = next(iter(seen_static.items()))
    (WORK / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(json.dumps(report, indent=2, ensure_ascii=False))
    say(f"{len(seen_static)} static files checked; all good")


if __name__ == "__main__":
    sys.exit(main())
