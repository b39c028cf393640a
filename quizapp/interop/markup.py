"""Card text between quizapp's Markdown and Anki's HTML, formulas as MathJax.

Markdown → HTML uses markdown-it-py (CommonMark, plus tables), which rich already brings.
Formulas are cut out before rendering, so Markdown never touches their backslashes and
underscores, and put back as MathJax delimiters: `$x$` and `\\(x\\)` become `\\(x\\)`,
`$$x$$` and `\\[x\\]` become `\\[x\\]`. HTML → Markdown is a small standard-library
converter for what notes contain (paragraphs, line breaks, bold, italics, code, lists,
MathJax); other tags are dropped and their text kept.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

# Display first, then inline; a `$` followed by a space or a digit-after-close is not math
# (so "$5 and $6" stays text), as Pandoc reads it.
_MATH_RE = re.compile(
    r"\$\$(?P<d1>.+?)\$\$"
    r"|\\\[(?P<d2>.+?)\\\]"
    r"|\\\((?P<i1>.+?)\\\)"
    r"|(?<![\\$])\$(?P<i2>[^\s$](?:[^$\n]*?[^\s$\\])?)\$(?!\d)",
    re.DOTALL,
)
_CODE_RE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]+`)", re.DOTALL)
_PLACEHOLDER = "QZMATH{}QZ"
_PLACEHOLDER_RE = re.compile(r"QZMATH(\d+)QZ")

_md: Any = None


def _renderer() -> Any:
    global _md
    if _md is None:
        from markdown_it import MarkdownIt  # 240-330 ms measured: only when exporting

        _md = MarkdownIt("commonmark", {"html": False, "breaks": False}).enable("table")
    return _md


_PLAIN_RE = re.compile(r"[\\`*_\[\]<>#!&|~$\n]|^\s*(?:[-+=]|\d+[.)])")


def markdown_to_html(text: str) -> str:
    """quizapp Markdown as Anki HTML: `<pre><code>` blocks, MathJax `\\( \\)` formulas."""
    if not _PLAIN_RE.search(text.strip()):  # one line of plain text: nothing to render
        return html.escape(text.strip(), quote=False)
    maths: list[str] = []

    def cut(m: re.Match[str]) -> str:
        tex = m.group("d1") or m.group("d2")
        wrapped = f"\\[{tex}\\]" if tex is not None else f"\\({m.group('i1') or m.group('i2')}\\)"
        maths.append(wrapped)
        return _PLACEHOLDER.format(len(maths) - 1)

    pieces = _CODE_RE.split(text)
    for i in range(0, len(pieces), 2):  # math outside code only
        pieces[i] = _MATH_RE.sub(cut, pieces[i])
    rendered: str = _renderer().render("".join(pieces)).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]  # one paragraph: no margins around a short answer
    return _PLACEHOLDER_RE.sub(lambda m: html.escape(maths[int(m.group(1))], quote=False), rendered)


_BLOCK = {"p", "div", "ul", "ol", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
_DROP = {"script", "style", "head", "title"}


class _ToMarkdown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list[int]] = []  # [is_ordered, counter]
        self.pre = 0
        self.drop = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            self.drop += 1
        elif tag == "br":
            self.out.append("\n")
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag == "code" and not self.pre:
            self.out.append("`")
        elif tag == "pre":
            self.pre += 1
            self.out.append("\n\n```\n")
        elif tag in ("ul", "ol"):
            self.lists.append([int(tag == "ol"), 0])
            self.out.append("\n")
        elif tag == "li":
            indent = "  " * max(len(self.lists) - 1, 0)
            if self.lists and self.lists[-1][0]:
                self.lists[-1][1] += 1
                self.out.append(f"\n{indent}{self.lists[-1][1]}. ")
            else:
                self.out.append(f"\n{indent}- ")
        elif tag in ("td", "th"):
            self.out.append(" | ")
        elif tag == "img":
            src = dict(attrs).get("src") or "image"
            self.out.append(f"[image: {src}]")
        elif tag == "hr":
            self.out.append("\n\n---\n\n")
        elif tag in _BLOCK:
            self.out.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            self.drop = max(0, self.drop - 1)
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag == "code" and not self.pre:
            self.out.append("`")
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            self.out.append("\n```\n\n")
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self.out.append("\n\n")
        elif tag in _BLOCK:
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.drop:
            return
        data = data.replace("\xa0", " ")  # &nbsp;, which Anki's editor writes a lot
        if not self.pre:
            data = re.sub(r"[ \t\n]+", " ", data)
        self.out.append(data)


def html_to_markdown(text: str) -> str:
    """Anki field HTML as quizapp Markdown (MathJax back to `$…$`)."""
    parser = _ToMarkdown()
    parser.feed(text)
    parser.close()
    md = "".join(parser.out)
    md = re.sub(r"\[sound:[^\]]*\]", "", md)
    md = re.sub(r"\\\((.+?)\\\)", lambda m: f"${m.group(1).strip()}$", md, flags=re.DOTALL)
    md = re.sub(r"\\\[(.+?)\\\]", lambda m: f"$${m.group(1).strip()}$$", md, flags=re.DOTALL)
    md = "\n".join(line.rstrip() for line in md.split("\n"))
    md = re.sub(r"\n{3,}", "\n\n", md)
    md = re.sub(r"\*\*\*\*|\*\*\s*\*\*", "", md)  # empty bold from <b></b>
    return md.strip()
