"""Many donors at once, by runs of ids rather than lists of them.

A query for a province's donors in chunks of `pk IN (…1000 ids…)` costs Django more to
build (every id is prepared one by one) than the database to run. Sorted ids cut into
runs are asked for as `first ≤ id ≤ last`, which costs the same for a run of ten
thousand; rows the range holds but the run does not are dropped by the caller. A sparse
run (a club's members scattered over a province) would read the rows between for
nothing: it is asked for by its list.
"""

from typing import NamedTuple

RUN = 10_000
SPARSE = 4  # a run whose range holds more than this many ids per member is listed


class Span(NamedTuple):
    first: int
    last: int


def runs(ids, size: int | None = None):
    """(what to ask for: a Span or the list, set of ids) per run of `size` (default
    RUN) of the sorted `ids`."""
    size = size or RUN
    ids = sorted(set(ids))
    for start in range(0, len(ids), size):
        run = ids[start:start + size]
        span = Span(run[0], run[-1])
        dense = span.last - span.first + 1 <= SPARSE * len(run)
        yield span if dense else run, set(run)


def where(ids, field: str = "donor_id") -> dict:
    """Filter arguments for `field` among `ids`: a Span's range, else an IN list."""
    if isinstance(ids, Span):  # (a foreign key takes gte and lte, not range)
        return {f"{field}__gte": ids.first, f"{field}__lte": ids.last}
    return {f"{field}__in": list(ids)}
