"""The site's Content-Security-Policy header, built once: the same header as django-csp's."""

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from core.csp import CSPMiddleware


def _headers(middleware_class, response=None, path="/"):
    request = RequestFactory().get(path)
    middleware = middleware_class(lambda request: response or HttpResponse("page"))
    response = middleware(request)
    return response.get(HEADER), response.get(HEADER_REPORT_ONLY), request


def _directives(header):
    return sorted(part.strip() for part in header.split(";")) if header else header


def test_the_header_is_django_csp_s_for_a_page_with_no_policy_of_its_own():
    ours, ours_ro, _request = _headers(CSPMiddleware)
    theirs, theirs_ro, _request = _headers(DjangoCSPMiddleware)
    assert "frame-ancestors 'none'" in ours
    assert _directives(ours) == _directives(theirs)
    assert ours_ro is theirs_ro is None


def test_a_page_with_its_own_policy_gets_it():
    response = HttpResponse("page")
    response._csp_update = {"img-src": ["https://images.example.org"]}
    ours, _ro, _request = _headers(CSPMiddleware, response)
    assert "https://images.example.org" in ours


def test_a_page_that_used_a_nonce_gets_it_in_the_header(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}

    def view(request):
        return HttpResponse(str(request.csp_nonce))

    response = CSPMiddleware(view)(RequestFactory().get("/"))
    nonce = response.content.decode()
    assert _directives(response[HEADER]) == [
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
    ]


def test_a_nonce_asked_for_after_the_header_is_an_error_as_with_django_csp(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}
    _header, _ro, request = _headers(CSPMiddleware)
    assert "nonce" not in _header
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_changed_settings_give_a_new_header(settings):
    before, _ro, _request = _headers(CSPMiddleware)
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    after, _ro, _request = _headers(CSPMiddleware)
    assert after == "default-src 'none'" != before
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": ["'self'"]}}
    _header, report_only, _request = _headers(CSPMiddleware)
    assert _directives(report_only) == ["default-src 'self'", "img-src 'self'"]


def test_an_exempt_response_gets_no_header():
    response = HttpResponse("page")
    response._csp_exempt = True
    ours, _ro, _request = _headers(CSPMiddleware, response)
    assert ours is None
