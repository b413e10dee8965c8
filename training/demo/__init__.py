"""Demo data for a newcomer: accounts, a finished and an upcoming session, attendance and
quiz attempts (``seed_demo``)."""
