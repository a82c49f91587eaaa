"""The privacy app's writes: the archive of the right of access (:mod:`.access`), the erasure
(:mod:`.erasure`) and the retention periods (:mod:`.retention`)."""
