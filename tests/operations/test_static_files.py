"""Static files as production serves them: hashed, compressed, cached for a year.

The test run collects the static files once with the production storage (tests/conftest.py),
so a file that names a missing file stops the run; the first test says which file and which
reference, as `collectstatic` would in production.
"""

import fnmatch
import json
import posixpath
import re
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage, staticfiles_storage
from django.templatetags.static import static
from django.test import Client

ABSOLUTE = re.compile(r"^([a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)
HASHED = re.compile(r"\.[0-9a-f]{12}\.(css|js)$")


def static_references():
    """Yield (file, reference, target) for each file our static files name, found with the
    patterns the manifest storage itself rewrites (CSS url()/@import, JS source maps…)."""
    patterns = ManifestStaticFilesStorage()._patterns
    seen = set()
    for finder in finders.get_finders():
        for path, storage in finder.list(ignore_patterns=None):
            if path in seen:
                continue
            seen.add(path)
            rules = [
                rule
                for glob, group in patterns.items()
                if fnmatch.fnmatch(path, glob)
                for rule in group
            ]
            if not rules:
                continue
            with storage.open(path) as handle:
                text = handle.read().decode("utf-8", errors="replace")
            for compiled, _template in rules:
                for match in compiled.finditer(text):
                    url = match.group("url")
                    if ABSOLUTE.match(url) or url.startswith("data:"):
                        continue
                    url_path = urlsplit(urldefrag(url)[0]).path
                    if not url_path:
                        continue
                    if url_path.startswith("/"):
                        if not url_path.startswith(settings.STATIC_URL):
                            continue
                        target = url_path[len(settings.STATIC_URL) :]
                    else:
                        target = posixpath.normpath(
                            posixpath.join(posixpath.dirname(path), url_path)
                        )
                    yield path, match.group("matched"), target


def test_no_static_file_names_a_file_that_is_not_there():
    """The vendored Bootstrap named source maps that were never shipped: collectstatic stopped
    with MissingFileError and every production page answered 500 (static/vendor/bootstrap/README)."""
    references = list(static_references())
    missing = [
        f"{path}: {matched!r}" for path, matched, target in references if not finders.find(target)
    ]
    assert missing == []
    # The scan does read references: the admin's CSS imports its fonts and widgets.
    assert len(references) > 5


def test_a_source_map_comment_to_a_missing_map_is_found(tmp_path, settings):
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "lib.min.js").write_text(
        "var a=1;\n//# sourceMappingURL=lib.min.js.map\n"
    )
    settings.STATICFILES_DIRS = [tmp_path]
    finders.get_finder.cache_clear()
    try:
        missing = [
            (path, target) for path, _m, target in static_references() if not finders.find(target)
        ]
    finally:
        finders.get_finder.cache_clear()
    assert missing == [("vendor/lib.min.js", "vendor/lib.min.js.map")]


def test_the_test_run_uses_the_production_storage_on_collected_files():
    assert settings.STORAGES["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    manifest = json.loads((Path(settings.STATIC_ROOT) / "staticfiles.json").read_text())
    bootstrap = manifest["paths"]["vendor/bootstrap/bootstrap.min.css"]
    assert HASHED.search(bootstrap)
    assert (Path(settings.STATIC_ROOT) / f"{bootstrap}.gz").is_file()


def test_a_template_naming_a_missing_static_file_fails_instead_of_linking_nothing():
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        static("css/does-not-exist.css")


@pytest.mark.django_db
def test_pages_link_hashed_css_and_js_served_compressed_with_a_one_year_immutable_cache():
    client = Client()
    page = client.get("/").content.decode()
    links = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', page)
    assert static("vendor/bootstrap/bootstrap.min.css") in links
    assert static("vendor/bootstrap/bootstrap.bundle.min.js") in links
    for link in links:
        assert HASHED.search(link), link
        response = client.get(link, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200, link
        assert response.headers["Content-Encoding"] == "gzip", link
        cache = response.headers["Cache-Control"]
        assert "immutable" in cache and "max-age=315360000" in cache, (link, cache)
    assert staticfiles_storage.manifest_strict
