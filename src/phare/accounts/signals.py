"""What accounts tells the apps above it, which it may not import.

``audited`` carries an action the audit trail records (``phare.audit`` connects to it in its
``ready()``): ``action`` (an audit action code), ``target`` (a model instance), ``details``
(JSON-able) and ``actor`` (who did it, when the service knows; else the request's user).

``signing_out`` asks, with the ``request`` of a sign-out that is still signed in, where the
browser goes once the local session has ended: a receiver (``phare.signon`` connects one)
answers a URL (the way to the identity provider's logout), or None.
"""

from __future__ import annotations

from django.dispatch import Signal

audited = Signal()
signing_out = Signal()
