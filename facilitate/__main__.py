"""The ``facilitate`` command. ``serve`` applies gevent's monkey-patching before anything else is
imported, so that every socket, lock and sleep in the server cooperates."""

import sys


def main() -> None:
    if sys.argv[1:2] == ["serve"]:
        from gevent import monkey

        monkey.patch_all()
    from .cli import cli

    cli.main(prog_name="facilitate")


if __name__ == "__main__":
    main()
