"""Instructions per request, counted by valgrind: a measure a busy machine does not change.

Usage: .venv/bin/python tests/bench/instructions.py [--dir DIR] [--requests 10]
                                                    [--pages floor,lesson,…] [--profile PAGE]

``make bench`` gives ratios of requests per second, which a machine shared with other work
makes noisy. This counts the CPU instructions the Python process executes to answer one
request (valgrind's callgrind; about 50 times slower than running, but the count is the
same whatever else runs), for the benchmark's pages and its two floors: the platform's
logged-in « hello » and a stock Django project's (tests/bench/stock_settings.py). Each page
is requested through the WSGI application, as gunicorn calls it (every middleware, the
session cookie of the benchmark's trainee or trainer), warmed up, then counted over
``--requests`` requests. The SQL queries of one request are counted too.

DIR holds the databases of ``tests/bench/run.py --keep`` (``large.sqlite3``, ``large.json``)
or receives new ones (``--scale``, default 1.0: 5,000 trainees). ``--profile PAGE`` prints
the page's cProfile instead (call counts, which a busy machine does not change either).
Needs valgrind and a C compiler (to issue callgrind's client requests).
"""

from __future__ import annotations

import argparse
import ctypes
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.run import Bench, cookie_header, log  # noqa: E402

# Callgrind's client requests (valgrind/callgrind.h), compiled once into a tiny library.
HELPER_C = r"""
#include <valgrind/callgrind.h>
void cg_zero(void) { CALLGRIND_ZERO_STATS; }
void cg_dump(const char *label) { CALLGRIND_DUMP_STATS_AT(label); }
int cg_running(void) { return RUNNING_ON_VALGRIND; }
"""


def helper_build(folder: Path) -> Path:
    library = folder / "callgrind_helper.so"
    if not library.exists():
        source = folder / "callgrind_helper.c"
        source.write_text(HELPER_C)
        subprocess.run(
            ["cc", "-O1", "-shared", "-fPIC", "-o", str(library), str(source)], check=True
        )
    return library


# =========================================================================== child side


def _environ(path: str, cookie: str | None) -> dict:
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_USER_AGENT": "bench",
        "HTTP_ACCEPT": "text/html",
        "HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if cookie:
        environ["HTTP_COOKIE"] = cookie_header(cookie)
    return environ


def child_documents(args) -> None:
    """Render one document of each kind from scratch (as P7 does); dump the count per kind."""
    import django

    django.setup()
    from tests.bench.run import _pdf_pages, _render
    from training.documents.data import SessionData
    from training.documents.models import GeneratedDocument
    from training.models import Enrolment, TrainingSession

    helper = ctypes.CDLL(args.helper)
    info = json.loads(Path(args.info).read_text())
    session = TrainingSession.objects.get(pk=info["pack_session"])
    trainee = Enrolment.objects.filter(session=session).order_by("pk").first().trainee
    kind = GeneratedDocument.Kind
    kinds = {
        "certificate": (kind.CERTIFICATE, trainee),
        "attestation": (kind.ATTESTATION, trainee),
        "convocation": (kind.CONVOCATION, trainee),
        "attendance": (kind.ATTENDANCE, None),
        "handout": (kind.HANDOUT, None),
    }
    for key, who in kinds.values():  # warm up: fonts, templates, stylesheets
        _render(key, SessionData(session), who)
    pages = {}
    for name, (key, who) in kinds.items():
        helper.cg_zero()
        pdf = _render(key, SessionData(session), who)
        helper.cg_dump(f"pdf-{name}".encode())
        pages[name] = _pdf_pages(pdf)
    Path(args.out).write_text(json.dumps(pages))


def child_measure(args) -> None:
    """Request each page through the WSGI application; dump callgrind's count per page."""
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    helper = ctypes.CDLL(args.helper) if args.helper else None
    on_valgrind = bool(helper and helper.cg_running())
    application = get_wsgi_application()
    pages = json.loads(args.pages_json)
    result = {}

    def request(path, cookie):
        status = []
        body = application(_environ(path, cookie), lambda s, h, e=None: status.append(s))
        try:
            content = b"".join(body)
        finally:
            body.close()
        return status[0], content

    for name, (path, cookie) in pages.items():
        for _ in range(2):  # warm up: templates, translations, caches
            request(path, cookie)
        with CaptureQueriesContext(connection) as queries:
            status, content = request(path, cookie)
        captured = list(queries.captured_queries)  # before the next request resets the log
        if args.profile == name:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.requests):
                request(path, cookie)
            profiler.disable()
            stats = pstats.Stats(profiler, stream=sys.stderr)
            stats.sort_stats("tottime").print_stats(40)
            stats.sort_stats("cumulative").print_stats(60)
        elif on_valgrind:
            helper.cg_zero()
            for _ in range(args.requests):
                request(path, cookie)
            helper.cg_dump(name.encode())
        if not status.startswith("200") or content == b"hello ":  # "hello " = anonymous
            raise SystemExit(f"{name} ({path}) answers {status}: not a logged-in page")
        result[name] = {
            "status": status.split()[0],
            "bytes": len(content),
            "queries": len(captured),
            "sql": [q["sql"][:300] for q in captured] if args.sql else [],
        }
    Path(args.out).write_text(json.dumps(result))


# =========================================================================== orchestrator


def _dumps(prefix: Path) -> dict[str, int]:
    """Callgrind's dump files → instructions per label."""
    counts = {}
    for dump in prefix.parent.glob(prefix.name + "*"):
        text = dump.read_text(errors="replace")
        label = re.search(r"^desc: Trigger: Client Request: (.+)$", text, re.M)
        summary = re.search(r"^summary: (\d+)", text, re.M)
        if label and summary:
            counts[label.group(1)] = int(summary.group(1))
    return counts


def documents_count(bench, folder: Path, large: Path, info_path: Path) -> None:
    """P7 in instructions: each kind's count per page ÷ the certificate's."""
    out, prefix = folder / "instructions-documents.json", folder / "callgrind-documents"
    for old in folder.glob(prefix.name + "*"):
        old.unlink()
    command = [
        "valgrind",
        "--tool=callgrind",
        f"--callgrind-out-file={prefix}.%p",
        "--quiet",
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        "documents",
        "--out",
        str(out),
        "--info",
        str(info_path),
        "--helper",
        str(helper_build(folder)),
    ]
    log("counting one document of each kind")
    subprocess.run(command, env=bench.env(large), cwd=ROOT, check=True)
    pages, counts = json.loads(out.read_text()), _dumps(prefix)
    base = counts["pdf-certificate"] / pages["certificate"]
    print(f"\n{'document':<12} {'pages':>5} {'instructions/page':>18} {'÷ certificate':>14}")
    for name, count in pages.items():
        per_page = counts[f"pdf-{name}"] / count
        print(f"{name:<12} {count:>5} {per_page / 1e6:>16.1f} M {per_page / base:>14.2f}")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dir", help="folder of the databases (kept from run.py --keep)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--pages", help="comma-separated page names (default: all)")
    parser.add_argument("--profile", help="print this page's cProfile instead of counting")
    parser.add_argument("--sql", action="store_true", help="print the SQL of each page")
    parser.add_argument(
        "--settings", default="tests.bench.settings", help="the platform's settings module"
    )
    parser.add_argument(
        "--documents", action="store_true", help="count one PDF of each kind instead (P7)"
    )
    parser.add_argument("--info", help=argparse.SUPPRESS)
    parser.add_argument(
        "--child", choices=["project", "stock", "documents"], help=argparse.SUPPRESS
    )
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--helper", help=argparse.SUPPRESS)
    parser.add_argument("--pages-json", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "documents":
        child_documents(args)
        return
    if args.child:
        child_measure(args)
        return

    folder = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="bench-instr-"))
    folder.mkdir(parents=True, exist_ok=True)
    bench_args = argparse.Namespace(scale=args.scale, packs=0, pack_trainees=1, keep=True)
    bench = Bench(bench_args)
    shutil.rmtree(bench.tmp, ignore_errors=True)
    bench.tmp = folder
    secret = folder / "secret"  # the sessions' hashes were made with it
    if secret.exists():
        bench.secret = secret.read_text().strip()
    else:
        secret.write_text(bench.secret)
    large, info_path = folder / "large.sqlite3", folder / "large.json"
    if not large.exists() or not info_path.exists():
        template = folder / "template.sqlite3"
        bench.child("template", template)
        shutil.copy(template, large)
        info_path.write_text(json.dumps(bench.child("seed", large)))
    info = json.loads(info_path.read_text())
    if args.documents:
        documents_count(bench, folder, large, info_path)
        return
    stock_db = folder / "stock.sqlite3"
    for old in folder.glob("stock.sqlite3*"):  # a new one each time (a second or so)
        old.unlink()
    stock_info = bench.stock_seed(stock_db)

    pages = {
        "project": {
            "hello": ["/bench/hello/", None],
            "floor": ["/bench/hello-user/", info["cookies"]["trainee"]],
            "layout": ["/bench/layout-user/", info["cookies"]["trainee"]],
            **{name: [url, info["cookies"][who]] for name, (who, url) in info["pages"].items()},
        },
        "stock": {"stock": ["/bench/stock-user/", stock_info["cookie"]]},
    }
    wanted = set(args.pages.split(",")) if args.pages else None
    if args.profile:
        wanted = {args.profile}
    helper = None if args.profile else helper_build(folder)
    results, counts = {}, {}
    for side in ("stock", "project"):
        chosen = {k: v for k, v in pages[side].items() if wanted is None or k in wanted}
        if side == "stock" and not args.profile:
            chosen = pages["stock"]  # always: the reference of the ratios
        if not chosen:
            continue
        out = folder / f"instructions-{side}.json"
        prefix = folder / f"callgrind-{side}"
        for old in folder.glob(prefix.name + "*"):
            old.unlink()
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child",
            side,
            "--out",
            str(out),
            "--requests",
            str(args.requests),
            "--pages-json",
            json.dumps(chosen),
        ]
        if args.profile:
            command += ["--profile", args.profile]
        else:
            command = [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={prefix}.%p",
                "--quiet",
                *command,
                "--helper",
                str(helper),
            ]
        if args.sql:
            command.append("--sql")
        env = bench.env(stock_db if side == "stock" else large)
        env["DJANGO_SETTINGS_MODULE"] = args.settings
        if side == "stock":
            env.update(
                DJANGO_SETTINGS_MODULE="tests.bench.stock_settings",
                STOCK_SQLITE_PATH=str(stock_db),
            )
        log(f"counting {', '.join(chosen)} ({side})")
        subprocess.run(command, env=env, cwd=ROOT, check=True)
        results.update(json.loads(out.read_text()))
        counts.update(_dumps(prefix))
    if args.profile:
        return
    stock = counts["stock"] / args.requests
    print(f"\n{'page':<12} {'instructions':>14} {'stock ÷ page':>13} {'queries':>8}  status")
    for name, page in results.items():
        per_request = counts.get(name, 0) / args.requests
        ratio = stock / per_request if per_request else float("nan")
        print(
            f"{name:<12} {per_request / 1e6:>12.2f} M {ratio:>13.3f} {page['queries']:>8}"
            f"  {page['status']}"
        )
        for sql in page["sql"]:
            print(f"    {sql}")
    (folder / "instructions-latest.json").write_text(
        json.dumps(
            {
                name: {
                    "instructions": counts.get(name, 0) / args.requests,
                    "queries": page["queries"],
                }
                for name, page in results.items()
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
