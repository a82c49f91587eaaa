"""Model-free code every app shares: CSV text, import errors, uploads, charts, the periodic
registry, navigation entries, i18n helpers, mail, the API's common shapes, client addresses,
the cache, pseudonyms.

Nothing here defines or imports a model, and nothing here imports a Phare app: apps import
``lib``, never the other way round (``tests/test_architecture.py`` checks it).
"""
