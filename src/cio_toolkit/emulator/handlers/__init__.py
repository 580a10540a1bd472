"""Operation handlers; every module here is imported automatically by the emulator.

Register with ``@handler(api, operation_id)``; see :mod:`cio_toolkit.emulator._registry`.
"""
