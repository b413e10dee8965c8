"""The request id: nginx's ``$request_id`` (header ``X-Request-ID``) or a new one, in the
logs of the request (training.operations.logs) and in the response's ``X-Request-ID``, so an
error a user reports can be found in nginx's, gunicorn's and Django's logs alike."""

import os
import re

from training.operations.logs import request_id_var

# What an id from the proxy may look like: nothing that could forge a log line.
_ACCEPTED = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.META.get("HTTP_X_REQUEST_ID", "")  # request.headers copies them all
        # 32 hexadecimal digits, like uuid4().hex, without building a UUID at every request.
        request_id = offered if _ACCEPTED.fullmatch(offered) else os.urandom(16).hex()
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response
