# GENERATED FILE - DO NOT EDIT.
# Source: the vendored app_api.json spec and the LAYOUT table in scripts/gen_app_client.py.
# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)

"""Generated App API code: operation table, response types, resource classes."""

RESOURCE_MODULES = [
    "activities",
    "broadcasts",
    "campaigns",
    "collections",
    "customers",
    "data_index",
    "esp_suppression",
    "exports",
    "imports",
    "info",
    "messages",
    "newsletters",
    "objects",
    "reporting_webhooks",
    "segments",
    "send_messages",
    "sender_identities",
    "snippets",
    "subscription_center",
    "transactional",
    "workspaces",
]
