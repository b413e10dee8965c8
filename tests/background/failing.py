"""A task that always raises, for the tests of failure reporting (module level, as the task
framework requires)."""

from core.tasks import task


@task()
def always_fails(reason: str) -> None:
    raise RuntimeError(f"boom: {reason}")
