"""Run every code generator of the project: ``python scripts/generate.py [--check]``.

Without arguments it rewrites every generated file; with ``--check`` (run by ``make test``) it
writes nothing and exits 1 when a generated file differs from what its spec and generator produce
now, so a spec or generator change that was not regenerated fails the build. The generators:

- ``gen_app_client.py``: ``src/cio_toolkit/app/_generated/`` (operations, response types, resources);
- ``gen_webhook_events.py``: ``src/cio_toolkit/webhooks/_generated_events.py`` (typed webhook events);
- ``gen_semantic_events.py``: ``src/cio_toolkit/pipelines/_semantic_table.py`` (semantic events).

Every generated file starts with the header of ``_codegen.header``. The installed package never
imports anything under scripts/.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script or loaded by path (tests): the sibling modules are imported by name either way.
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

import _codegen
import gen_app_client
import gen_semantic_events
import gen_webhook_events

GENERATORS = [gen_app_client, gen_webhook_events, gen_semantic_events]

if __name__ == "__main__":
    sys.exit(_codegen.main(GENERATORS, description=__doc__.splitlines()[0]))
