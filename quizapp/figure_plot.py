"""Draw a `Figure` with plotext: the CLI passes the plotext module, the TUI its widget's `plt`.

One drawing function for both keeps the terminal picture and the TUI picture the same. plotext
is imported by the caller, never here at module level (`import plotext` costs ~0.1 s), so
nothing pays for it before the first figure is drawn.
"""

from __future__ import annotations

from typing import Any

from quizapp.figures import Figure

_COLOURS = ("blue+", "orange+", "green+", "red+", "magenta+", "cyan+", "yellow+", "gray+")


def draw(plt: Any, fig: Figure, *, width: int | None = None, height: int | None = None) -> None:
    """Put `fig` on plotext's current figure (cleared first)."""
    if width and height:  # the CLI sizes the figure; the TUI widget sizes itself
        plt.clear_figure()
        plt.plotsize(width, height)
    plt.clear_data()
    plt.title(fig.title)
    if fig.grid is not None:
        plt.matrix_plot([list(row) for row in fig.grid])
        plt.xlabel("unit (dark = dropped)")
        return
    plt.xlabel(fig.xlabel)
    plt.ylabel(fig.ylabel)
    for i, s in enumerate(fig.series):
        colour = _COLOURS[i % len(_COLOURS)]
        if s.style == "scatter":
            plt.scatter(list(s.x), list(s.y), label=s.label, color=colour, marker="●")
        elif s.style == "bar":
            plt.bar(list(s.x), list(s.y), label=s.label, color=colour)
        else:
            plt.plot(list(s.x), list(s.y), label=s.label, color=colour, marker="braille")
    for m in fig.markers:
        plt.vline(m.x, "gray")
    if fig.markers:
        plt.xlabel(fig.xlabel + "  |  " + "; ".join(m.label for m in fig.markers))


def render_text(fig: Figure, width: int = 80, height: int = 22) -> str:
    """The figure as terminal text (ANSI colours kept), for the CLI."""
    import plotext  # ~0.1 s, only when a figure is drawn

    draw(plotext, fig, width=width, height=height)
    return str(plotext.build())
