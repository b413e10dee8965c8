import pytest


@pytest.fixture(autouse=True)
def _no_real_course(request):
    """Loader and page tests build their own small course: they start from no course at all
    (``no_course``), unless they ask for the real one."""
    if (
        "django_db" not in {m.name for m in request.node.iter_markers()}
        and "db" not in request.fixturenames
    ):
        return
    if "course_loaded" in request.fixturenames or request.node.module.__name__.endswith(
        "test_content_structure"
    ):
        return
    request.getfixturevalue("no_course")
