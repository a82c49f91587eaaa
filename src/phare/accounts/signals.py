"""What accounts tells the apps above it, which it may not import.

``audited`` carries an action the audit trail records (``phare.audit`` connects to it in its
``ready()``): ``action`` (an audit action code), ``target`` (a model instance), ``details``
(JSON-able) and ``actor`` (who did it, when the service knows; else the request's user).
"""

from __future__ import annotations

from django.dispatch import Signal

audited = Signal()
