"""Shared test helpers for lib: the SMTP server both SMTP fixtures start."""

from __future__ import annotations

import logging

#: aiosmtpd's logger. Its INFO lines ("EOF received", "Connection lost") come from the
#: server's own thread, sometimes after pytest has closed the stream a handler writes to,
#: which printed "--- Logging error ---" tracebacks in the run's output: warnings only.
SMTP_LOGGER = "mail.log"


def start_smtp(handler, port: int):
    """aiosmtpd's server on loopback ``port``, started, handing messages to ``handler``."""
    from aiosmtpd.controller import Controller

    logging.getLogger(SMTP_LOGGER).setLevel(logging.WARNING)
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller
