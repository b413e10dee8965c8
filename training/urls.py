"""Site URLs: the ``training`` namespace gathers the feature packages' URLs; the course apps
have their own namespaces."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from training.accounts import urls as account_urls
from training.pages import views as page_views

admin.site.site_header = settings.ORGANISATION["name"]
admin.site.site_title = settings.ORGANISATION["name"]

training_urlpatterns = [
    *account_urls.training_urlpatterns,
    path("", include("training.pages.urls")),
    path("", include("training.sessions.urls")),
    path("", include("training.attendance.urls")),
    path("", include("training.documents.urls")),
    path("", include("training.privacy.urls")),
    path("", include("training.operations.urls")),
    path("", include("training.background.urls")),
    path("", include("training.legalwatch.urls")),
    path("", include("training.surveys.urls")),
    path("", include("training.quality.urls")),
    path("", include("training.proofs.urls")),
    path("", include("training.bpf.urls")),
]

# The course apps first: their few prefixes are tried before the training organisation's
# hundred-odd patterns (a lesson resolved in 15 µs instead of 65); no address is in both.
urlpatterns = [
    path("", page_views.home, name="home"),
    path("", include(account_urls)),
    path("", include("modules.urls")),
    path("quiz/", include("quizzes.urls")),
    path("boussole/", include("boussole.urls")),
    path("langue/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include((training_urlpatterns, "training"))),
]

# A database or disk unavailable for now answers 503 « try again », not 500 (issue 24).
handler500 = "training.pages.views.server_error"
