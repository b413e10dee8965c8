import pytest

from boussole.models import Guide


@pytest.fixture
def guide(course_loaded):
    """The real guide and its cases, as loaded with the course for every test database."""
    return Guide.objects.get()
