"""Small HTML builders for the report page (every text from the data is escaped here)."""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Iterable, Sequence
from typing import Any

#: Shown for a missing or undefined value.
DASH = "\u2014"

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto; max-width: 70em;
       padding: 0 1em; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
.meta { color: #555; margin-top: 0; }
nav a { margin-right: 1em; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
thead th { position: sticky; top: 0; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: right; vertical-align: top; }
th { background: #f3f3f3; } td:first-child, th:first-child { text-align: left; }
td.text, th.text { text-align: left; }
.truth { background: #eef6ee; font-style: italic; }
figure { margin: 1em 0; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9em; }
.notes { background: #fff8e5; border-left: 4px solid #e0b400; padding: 0.4em 0.8em; }
code, pre { background: #f6f6f6; padding: 0.1em 0.3em; } pre { padding: 0.6em; overflow-x: auto; }
"""


def esc(text: Any) -> str:
    """``text`` as escaped HTML."""
    return html.escape(str(text), quote=True)


def fmt(value: Any, spec: str = "{:.3g}") -> str:
    """A cell's text: a dash for None/NaN, floats through ``spec``, anything else as ``str``."""
    if value is None:
        return DASH
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, numbers.Integral)):
        return DASH if math.isnan(value) else spec.format(value)
    return str(value)


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, header_classes: Sequence[str] | None = None,
          text_columns: Sequence[int] = ()) -> str:
    """An HTML table of already formatted (unescaped) cell texts.

    ``header_classes[j]`` is a CSS class for column ``j`` (e.g. ``"truth"``);
    ``text_columns`` are left-aligned.
    """
    classes = list(header_classes or [""] * len(headers))
    for j in text_columns:
        classes[j] = (classes[j] + " text").strip()

    def attr(j: int) -> str:
        return f' class="{classes[j]}"' if classes[j] else ""

    head = "".join(f"<th{attr(j)}>{esc(h)}</th>" for j, h in enumerate(headers))
    body = "\n".join("<tr>" + "".join(f"<td{attr(j)}>{esc(c)}</td>" for j, c in enumerate(row)) + "</tr>"
                     for row in rows)
    return f'<div class="scroll"><table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table></div>'


def key_values(pairs: Iterable[tuple[str, Any]]) -> str:
    """A two-column table of names and values."""
    return table(["name", "value"], [(k, fmt(v)) for k, v in pairs], text_columns=(0, 1))


def figure(filename: str, caption: str) -> str:
    """An ``<img>`` of a PNG beside the page, with its caption."""
    return (f'<figure><img src="{esc(filename)}" alt="{esc(caption)}">'
            f"<figcaption>{esc(caption)}</figcaption></figure>")


def notes(items: Sequence[str]) -> str:
    """A box of remarks (empty string when there are none)."""
    if not items:
        return ""
    return '<div class="notes"><ul>' + "".join(f"<li>{esc(n)}</li>" for n in items) + "</ul></div>"


def paragraph(text: str) -> str:
    """A paragraph of plain text (empty string for empty text)."""
    return f"<p>{esc(text)}</p>" if text else ""


def page(title: str, subtitle: str, nav: Sequence[tuple[str, str]], parts: Sequence[str]) -> str:
    """The whole document: a heading, links to the parts, and the parts."""
    links = "".join(f'<a href="#{esc(anchor)}">{esc(label)}</a>' for anchor, label in nav)
    body = "\n".join(parts)
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            f"<h1>{esc(title)}</h1>\n<p class=\"meta\">{esc(subtitle)}</p>\n<nav>{links}</nav>\n{body}\n"
            f"</body>\n</html>\n")


def section(anchor: str, title: str, content: str) -> str:
    """One ``<section>`` with its heading."""
    return f'<section id="{esc(anchor)}">\n<h2>{esc(title)}</h2>\n{content}\n</section>'
