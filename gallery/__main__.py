"""Entry point of the `gallery` command."""

from __future__ import annotations

import sys


def main() -> None:
    """Run the gallery command line, patching for gevent first when serving."""
    if len(sys.argv) > 1 and sys.argv[1] == "serve":
        # gevent must patch the standard library before anything imports it.
        from gevent import monkey

        monkey.patch_all()
    from .cli import cli

    cli()


if __name__ == "__main__":
    main()
