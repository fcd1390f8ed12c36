"""Steps several commands take before their own work: read a month, open the store, guard
an output path. Errors are raised; the app's one catch words them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from fivestar.cli.output import state
from fivestar.i18n import _

if TYPE_CHECKING:
    from fivestar.store import Store

T = TypeVar("T")


def month_or_none(value: str | None) -> str | None:
    """The canonical month (2014-04) of what was typed; None when nothing was."""
    if value is None:
        return None
    from fivestar.months import require_month

    return require_month(value)


def read_store(db: str | None, query: Callable[[Store], T]) -> T:
    """Open the store (it must exist), run `query`, close."""
    from fivestar.store import open_store

    with open_store(db, create=False) as store:
        try:
            return query(store)
        except (ValueError, TypeError, KeyError) as err:
            if state.debug:
                raise
            # a stored value the store's own checks did not foresee: still one line
            from fivestar.errors import StoreDamaged, described

            raise StoreDamaged(
                _("cannot read results store {where}: a stored value is damaged ({detail})").format(
                    where=store.where, detail=described(err, 120)
                )
            ) from None


def refuse_replacing(out: Path | None) -> None:
    """Refuse an --out that would replace a file fivestar did not write (before any query)."""
    if out is None:
        return
    from fivestar.report.workbook import check_replaceable

    check_replaceable(out)
