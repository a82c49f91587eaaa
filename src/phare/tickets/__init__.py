"""Ticket feedback: closed IT tickets reported by the ITSM, who is asked to rate them, the
one-click rating and its follow-ups, the results."""
