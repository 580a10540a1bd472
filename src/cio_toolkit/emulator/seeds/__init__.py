"""Named data sets for ``cio emulator --seed NAME``; every module here is imported automatically.

Register with ``@seed("name")`` on a ``fn(store: Store) -> None``.
"""
