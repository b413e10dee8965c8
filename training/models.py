"""The models of the ``training`` app, defined in its feature packages and gathered here so
that Django finds them (one app label, ``training``, for every table)."""

from training.accounts.models import *  # noqa: F401,F403
from training.attendance.models import *  # noqa: F401,F403
from training.background.models import *  # noqa: F401,F403
from training.content.models import *  # noqa: F401,F403
from training.documents.models import *  # noqa: F401,F403
from training.legalwatch.models import *  # noqa: F401,F403
from training.privacy.models import *  # noqa: F401,F403
from training.quality.models import *  # noqa: F401,F403
from training.sessions.models import *  # noqa: F401,F403
from training.surveys.models import *  # noqa: F401,F403
