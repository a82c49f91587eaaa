"""Django's PostgreSQL backend, checking a kept connection without a round trip when it can
(see :mod:`phare.lib.postgresql.base`). ``ENGINE: "phare.lib.postgresql"``."""
