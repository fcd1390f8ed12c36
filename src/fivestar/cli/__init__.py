"""The command line: parse, call the library, print. No evaluation logic lives here.

`fivestar.cli.app` builds the Typer app; one module per command group (evaluate, rules,
template, store, compare, decisions); `options`, `common` and `output` are shared by them;
`render*` draw the terminal's tables; `failures` words the library's errors.
"""

from __future__ import annotations


def main() -> None:
    """The console script `fivestar` (and `python -m fivestar`)."""
    try:
        from fivestar.cli.app import app

        app()
    except KeyboardInterrupt:
        # a Ctrl-C before the app's own catch is in place (while its modules are imported)
        import sys

        from fivestar.i18n import _

        sys.stderr.write("fivestar: " + _("interrupted") + "\n")
        sys.exit(130)


__all__ = ["main"]
