"""Legal watch (« veille juridique »): the registry of the legal texts the course cites, the
verifications recorded by administrators, the content flagged « à revoir » when a text changes,
the reminders when a verification is overdue, and the evidence exports (Qualiopi indicator 23).
"""
