"""django-csp's middleware, with the site's policy built once per process instead of twice a
response.

django-csp builds the ``Content-Security-Policy`` header (and its report-only twin) from the
settings at every response, copying the directives each time: about a tenth of what a whole
logged-in request costs when the page renders nothing. When a response has no policy of its
own (``@csp_update``, ``@csp_replace``, ``@csp``) and the request used no nonce, the header is
the same for every response: it is built once and reused (rebuilt when a test overrides the
settings). Any other response goes through django-csp's own code, unchanged.
"""

from __future__ import annotations

import http.client

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed

# What makes a response's policy its own (set by django-csp's decorators).
_RESPONSE_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
# header, report only?, the response attribute that exempts it, the setting it comes from
_HEADERS = (
    (HEADER, False, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
    (HEADER_REPORT_ONLY, True, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
)
_DEBUG_CODES = (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND)

_policies: dict[bool, str] = {}


def _site_policy(report_only: bool) -> str:
    """The header built from the settings alone (django-csp's own ``build_policy``)."""
    try:
        return _policies[report_only]
    except KeyError:
        policy = _policies[report_only] = build_policy(report_only=report_only)
        return policy


def _forget_policies(*, setting, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policies.clear()


setting_changed.connect(_forget_policies)


class CSPMiddleware(BaseCSPMiddleware):
    """The same headers as django-csp's middleware; the site's policy is built once."""

    def process_response(self, request, response):
        if isinstance(getattr(request, "_csp_nonce", None), str) or any(
            getattr(response, name, None) is not None for name in _RESPONSE_POLICY
        ):
            return super().process_response(request, response)
        if response.status_code in _DEBUG_CODES and settings.DEBUG:
            return response
        for header, report_only, exempt, setting in _HEADERS:
            policy = _site_policy(report_only)
            if not policy or header in response or getattr(response, exempt, False) is not False:
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[header] = policy
        # As django-csp does: a nonce asked for after the header is written is an error.
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
