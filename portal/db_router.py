"""The read replica (docs/deployment.md, "Several app servers"): reads that may be a moment
behind the primary, and that cost the most, go to it; everything else to the primary.

Active only when DATABASE_REPLICA_URL is set (portal/settings/base.py adds the `replica`
database and this router). Reads are sent to the replica inside `reads_from_replica` only, never
by model: the same tables are read by writes (a sign-up counts places under a lock), which must
see the primary. Used by the public figures (the statistics page, the stats API) and search, views
that write nothing and whose answers are allowed to be seconds old (the figures are cached for
minutes anyway). Inside a transaction on the primary reads stay there, so a write and the reads
around it always agree. Migrations run on the primary only (the replica copies them)."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_on_replica: ContextVar[bool] = ContextVar("portal_reads_from_replica", default=False)


@contextmanager
def reads_from_replica():
    """Within it (or a view it decorates), reads go to the replica when one is configured."""
    token = _on_replica.set(True)
    try:
        yield
    finally:
        _on_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _on_replica.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return None  # the primary, or the database the related instance came from

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
