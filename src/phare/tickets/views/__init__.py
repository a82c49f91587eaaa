"""Ticket feedback pages: management (:mod:`.manage`, under ``/surveys/tickets/``) and the
one-click rating (:mod:`.rating`, under ``/s/t/``)."""
