"""Markdown → Anki HTML (formulas as MathJax) and Anki HTML → Markdown."""

from __future__ import annotations

import pytest

from quizapp.interop.markup import html_to_markdown, markdown_to_html


@pytest.mark.parametrize(
    ("md", "html"),
    [
        ("$\\lambda \\|w\\|_2^2$", "\\(\\lambda \\|w\\|_2^2\\)"),
        ("\\(a_1 * b_2\\)", "\\(a_1 * b_2\\)"),
        ("$$x_1 + x_2$$", "\\[x_1 + x_2\\]"),
        ("\\[x < y\\]", "\\[x &lt; y\\]"),
        ("costs $5 and $6", "costs $5 and $6"),
        ("**bold** and *it*", "<strong>bold</strong> and <em>it</em>"),
        ("`$a$`", "<code>$a$</code>"),
        ("a\nb", "a\nb"),  # a soft break stays a space in HTML, as the TUI reflows it
    ],
)
def test_markdown_to_html(md: str, html: str) -> None:
    assert markdown_to_html(md) == html


def test_code_blocks_and_paragraphs() -> None:
    out = markdown_to_html("Intro\n\n```python\nx = $a$\n```\n\n- one\n- two")
    assert '<pre><code class="language-python">x = $a$\n</code></pre>' in out
    assert "<p>Intro</p>" in out and "<li>one</li>" in out


@pytest.mark.parametrize(
    ("html", "md"),
    [
        ("Hi <b>there</b><br>next", "Hi **there**\nnext"),
        ("<div>a</div><div>b</div>", "a\n\nb"),
        ("\\(x_1\\) and \\[y\\]", "$x_1$ and $$y$$"),
        ("<ul><li>a</li><li>b &amp; c</li></ul>", "- a\n- b & c"),
        ("<ol><li>a</li><li>b</li></ol>", "1. a\n2. b"),
        ("<pre><code>x = 1\n  y</code></pre>", "```\nx = 1\n  y\n```"),
        ('see <img src="fig.png"> [sound:a.mp3]', "see [image: fig.png]"),
        ("<script>alert(1)</script>ok", "ok"),
        ("<code>np.sum</code>", "`np.sum`"),
    ],
)
def test_html_to_markdown(html: str, md: str) -> None:
    assert html_to_markdown(html) == md


def test_nbsp_is_a_space() -> None:
    assert html_to_markdown("a&nbsp;&nbsp;b") == "a b"
