"""The health endpoint: public, cheap, no personal data."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from training.operations.health import health_report


@never_cache
@require_safe
def health(request):
    """Answer 200 when every check passes, 503 otherwise, with each check's verdict in JSON."""
    results = health_report()
    healthy = all(result.healthy for result in results)
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            "checks": {
                result.name: {
                    "status": "ok" if result.healthy else "error",
                    "ms": round(result.milliseconds, 1),
                }
                for result in results
            },
        },
        status=200 if healthy else 503,
    )
