"""Listening: surveys (barometer, transactional, pulse, service), invitations, answers."""
