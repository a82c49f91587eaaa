"""Pseudonyms: a keyed hash of something that must be counted or limited but never named (a
client address, an account name, a person in the analytical store). Keyed with the secret
key, so the same input gives the same pseudonym on this installation and no one without the
key can test a guess."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def pseudonym(*parts: object) -> str:
    """32 hex characters standing for ``parts`` (joined by a line break)."""
    text = "\n".join(str(part) for part in parts)
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()[:32]
