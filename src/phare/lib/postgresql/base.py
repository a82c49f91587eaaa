"""Django's PostgreSQL backend whose health check costs no round trip when nothing is wrong.

With ``CONN_HEALTH_CHECKS`` (Phare's default, as ``env.database_config`` sets it), Django checks
a kept connection at the first query of every request, with a ``SELECT 1``: one more round trip
to the server for each request (for an open link's answer, one of three). That check is what
keeps a restarted or failed-over database from answering errors: the connection the worker
kept is dead, the check sees it and Django opens another.

A server that ends a connection (a restart, ``pg_terminate_backend``, an idle timeout, a
failover's reset) says so on the socket: an error message, then the end of the stream, or a
reset. So, when libpq reports the connection sound and idle and its socket has nothing to read,
the connection is in the state a ``SELECT 1`` would prove, and the check answers without one;
anything to read, any other state, and Django's own check runs. What neither check can see is a
server gone between the check and the request's first query (a window of microseconds here,
under a millisecond with Django's); the request then fails and Django drops the connection, as
it always has.

Measured (2026-12-07, loopback PostgreSQL 15): the check 1.9 µs instead of 159 µs (86 µs of the
worker's CPU); an open link's answer makes 2.05 PostgreSQL transactions instead of 3.05
(bench/ingest.py).
"""

from __future__ import annotations

import select

import psycopg
from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None:
            return False
        pgconn = connection.pgconn
        if (pgconn.status == pq.ConnStatus.OK
                and pgconn.transaction_status == pq.TransactionStatus.IDLE
                and not _readable(pgconn)):
            return True
        return bool(super().is_usable())


def _readable(pgconn: pq.abc.PGconn) -> bool:
    """Whether the server sent anything (or closed, or reset) since the last answer; a socket
    that cannot be polled counts as readable (Django's check runs)."""
    try:
        poller = select.poll()
        poller.register(pgconn.socket, select.POLLIN | select.POLLPRI)
        return bool(poller.poll(0))
    except (OSError, ValueError, psycopg.Error):
        return True
