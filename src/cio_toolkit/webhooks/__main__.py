"""``python -m cio_toolkit.webhooks serve|export`` (same as ``cio webhooks``)."""

from cio_toolkit.webhooks._cli import app

if __name__ == "__main__":
    app(prog_name="cio webhooks")
