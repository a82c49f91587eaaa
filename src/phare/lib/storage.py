"""Static files storage: hashed, compressed names once ``collectstatic`` has run.

Before that (tests, a fresh checkout) there is no manifest, and the plain names are served by
whitenoise straight from the apps' static folders instead of failing.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    def stored_name(self, name: str) -> str:
        if not self.hashed_files:
            return name
        return super().stored_name(name)
