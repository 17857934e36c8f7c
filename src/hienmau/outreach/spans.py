"""Many donors at once, by runs of ids rather than lists of them.

A query for a province's donors in chunks of `pk IN (…1000 ids…)` costs Django more to
build (every id is prepared one by one) than the database to run. Sorted ids cut into
runs are asked for as `first ≤ id ≤ last`, which costs the same for a run of ten
thousand; rows the range holds but the run does not are dropped by the caller.
"""

from typing import NamedTuple

RUN = 10_000


class Span(NamedTuple):
    first: int
    last: int


def runs(ids, size: int | None = None):
    """(Span, set of ids) per run of `size` (default RUN) of the sorted `ids`."""
    size = size or RUN
    ids = sorted(set(ids))
    for start in range(0, len(ids), size):
        run = ids[start:start + size]
        yield Span(run[0], run[-1]), set(run)


def where(ids, field: str = "donor_id") -> dict:
    """Filter arguments for `field` among `ids`: a Span's range, else an IN list."""
    if isinstance(ids, Span):  # (a foreign key takes gte and lte, not range)
        return {f"{field}__gte": ids.first, f"{field}__lte": ids.last}
    return {f"{field}__in": list(ids)}
