"""Charts drawn on the server with matplotlib: SVG for pages (sharp on screen and on
paper, no script, nothing fetched), PNG for DOCX documents. The same function draws
both, so a page and its document show the same picture.

Text is drawn with DejaVu Sans, which matplotlib ships and which has every Vietnamese
glyph; in SVG it is turned into outlines, so the browser needs no font. A chart depends
only on its figures: it is cached under a digest of them.
"""

import hashlib
import io
import json

from django.core.cache import cache

COLORS = {"now": "#b71c1c", "before": "#9e9e9e", "pace": "#1565c0"}
_CACHE_SECONDS = 3600


def _figure(width: float = 7.5, height: float = 3.2):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", color="#e0e0e0", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.tick_params(labelsize=8)
    return figure, axes


def _render(figure, fmt: str) -> bytes:
    import matplotlib

    out = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "hienmau", "font.family": "DejaVu Sans"}):
        figure.savefig(out, format=fmt, dpi=200 if fmt == "png" else 100,
                       metadata={"Date": None} if fmt == "svg" else None)
    return out.getvalue()


def _cached(kind: str, fmt: str, data: dict, draw) -> bytes:
    key = "chart:" + hashlib.sha256(json.dumps([kind, fmt, data], sort_keys=True,
                                               default=str).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = _render(draw(), fmt)
        cache.set(key, found, _CACHE_SECONDS)
    return found


def _thousands(value, _position=None) -> str:
    return f"{int(value):,}".replace(",", ".")


def cumulative(labels: list[str], now: list[int | None], before: list[int],
               pace: list[int] | None, *, names: dict, fmt: str = "svg") -> bytes:
    """Units collected since the start of the plan year, month by month, against last
    year's curve and the straight line that reaches the quota."""
    data = {"labels": labels, "now": now, "before": before, "pace": pace, "names": names}

    def draw():
        figure, axes = _figure()
        x = range(len(labels))
        if pace:
            axes.plot(x, pace, color=COLORS["pace"], linestyle="--", linewidth=1.4,
                      label=names["pace"])
        axes.plot(x, before, color=COLORS["before"], linewidth=1.6, marker="o",
                  markersize=3, label=names["before"])
        shown = [(i, v) for i, v in enumerate(now) if v is not None]
        axes.plot([i for i, _v in shown], [v for _i, v in shown], color=COLORS["now"],
                  linewidth=2.4, marker="o", markersize=4, label=names["now"])
        if shown:
            i, v = shown[-1]
            axes.annotate(_thousands(v), (i, v), textcoords="offset points", xytext=(4, 6),
                          fontsize=8, color=COLORS["now"], fontweight="bold")
        _finish(axes, labels)
        return figure

    return _cached("cumulative", fmt, data, draw)


def monthly(labels: list[str], now: list[int | None], before: list[int], *, names: dict,
            fmt: str = "svg") -> bytes:
    """Units collected in each month, this year beside last year."""
    data = {"labels": labels, "now": now, "before": before, "names": names}

    def draw():
        figure, axes = _figure()
        width = 0.4
        axes.bar([i - width / 2 for i in range(len(labels))], before, width,
                 color=COLORS["before"], label=names["before"])
        axes.bar([i + width / 2 for i in range(len(labels))], [v or 0 for v in now], width,
                 color=COLORS["now"], label=names["now"])
        _finish(axes, labels)
        return figure

    return _cached("monthly", fmt, data, draw)


def ranking(names_of_units: list[str], percents: list[float], *, title: str,
            fmt: str = "svg") -> bytes:
    """Units by % of quota reached, with the 100% line."""
    data = {"units": names_of_units, "percents": percents, "title": title}

    def draw():
        height = max(2.0, 0.28 * len(names_of_units) + 0.8)
        figure, axes = _figure(7.5, height)
        axes.grid(axis="x", color="#e0e0e0", linewidth=0.6)
        axes.grid(axis="y", visible=False)
        y = range(len(names_of_units))
        colors = [COLORS["now"] if p >= 100 else "#ef9a9a" for p in percents]
        axes.barh(list(y), percents, color=colors)
        axes.set_yticks(list(y), names_of_units, fontsize=7)
        axes.invert_yaxis()
        axes.axvline(100, color=COLORS["pace"], linestyle="--", linewidth=1)
        for i, p in enumerate(percents):
            axes.text(p + 1, i, f"{p:.0f}%", va="center", fontsize=7)
        axes.set_xlabel(title, fontsize=8)
        return figure

    return _cached("ranking", fmt, data, draw)


def _finish(axes, labels: list[str]) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axes.set_xticks(range(len(labels)), labels)
    # Units of blood are counted whole: a year's first 3 units must not get ticks every
    # 0,5, which the thousands format would write "0 0 1 1 2 2 3".
    axes.yaxis.set_major_locator(MaxNLocator("auto", steps=[1, 2, 2.5, 5, 10], integer=True))
    axes.yaxis.set_major_formatter(FuncFormatter(_thousands))
    axes.set_ylim(bottom=0, top=max(axes.get_ylim()[1], 1))
    axes.legend(fontsize=8, frameon=False, loc="upper left")
