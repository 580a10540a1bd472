"""The types App API methods return: TypedDicts generated from the vendored app_api.json.

``cio.app.activities.list()`` is a ``SyncPage[Activity]``, ``cio.app.customers.find(...)`` a
``SyncPage[CustomerIdentifiers]``. Values are plain dicts at run time (no validation), so a field
the API adds never breaks a job; the types are for readers and type checkers.

How the names are made (scripts/gen_app_client.py, ``Hint``): a type held under a key of a
response is that key in CamelCase, singular for list items (``activities`` -> ``Activity``); a
type inside another is the outer name plus its key (``ActivityCustomerIdentifiers``); a shape used
in several places takes the ending its uses share (``CustomerIdentifiers``); a whole response body
is ``<OperationId>Response``. When different shapes want one name, each is prefixed with its
resource (``CampaignMessage``, ``CustomerMessage``), then with its operation.
"""

from cio_toolkit.app._generated.models import *  # noqa: F403
from cio_toolkit.app._generated.models import __all__ as __all__
