"""Privacy (RGPD), evidence retention, audit trail, backups and tamper evidence.

- ``audit``: ``audit_record`` and the request's actor (set by ``AuditActorMiddleware``);
- ``receivers``: the signals that record audit events and keep the evidence seals current;
- ``evidence``: the per-half-day chain of signatures and its verification;
- ``export``: « Mes données », every row linked to a user, found by introspection;
- ``services``: erasure requests and anonymisation;
- ``retention``: what ``purge_expired`` deletes or anonymises;
- ``backup``: ``backup_db`` / ``restore_db`` for SQLite and PostgreSQL.
"""
