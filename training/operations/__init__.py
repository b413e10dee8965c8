"""Running the platform in production: the health endpoint, request ids and JSON logs, error
reporting (Sentry) and the deployment checks (``manage.py check --deploy``)."""
