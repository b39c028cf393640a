"""Is a typed answer the same as an accepted one? A math-aware comparison for gaps and typed cards.

People type maths in many spellings: `lambda*w`, `λ·w` and `λw`; `1/2`, `0.5` and `½`;
`(X^TX+λI)^-1X^Ty` and `(XᵀX + λI)⁻¹Xᵀy`. One canonical string cannot cover them all, so an
answer is read three ways and is right when any reading says "same":

1. **text** — a canonical spelling: Unicode NFC/NFKC (`cafe\u0301` = `café`, fullwidth = ASCII),
   case, spacing (around operators, after commas, next to one-letter symbols), ASCII names of
   Greek letters (`lambda`, `eta`, `eps`…), `sqrt` = `√`, `^T` = `ᵀ`, `^-1` = `⁻¹`, `_j` = `ⱼ`,
   `**` = `^`, `*`/`·` between symbols = juxtaposition, Unicode minus, leading and trailing
   zeros (`.8`, `0.20`), hyphens and underscores between words, number words (`two` = `2`).
2. **numbers** — both sides read as numbers or lists (`[0.7,0,0.3]`, `1/2`, `25%`): equal as
   numbers, element by element, in order (a swapped list is wrong).
3. **expressions** — both sides parse as formulas: evaluated at the same twelve pseudo-random
   points (half of them negative; complex arithmetic, so √ and log of negatives are defined)
   and compared there. When a transpose appears, Latin letters become random 3×3 matrices,
   so `XᵀX` ≠ `XXᵀ` and `(XᵀX + λI)⁻¹Xᵀy` ≠ `(XᵀX)⁻¹Xᵀy`; Greek letters and numbers stay
   scalars.

Still strict: `2λw` is not `λw`, `0.25` is not `0.26`, `L1` is not `L2`, and word answers get
only the typo slack of `answers.text_matches` (one slip in a long word, never the first letter).

Hostile input is bounded: the parser is hand-written (no `eval`, no SymPy), answers longer than
`MAX_FORMULA` characters are compared as text only, nesting and token counts are capped, and an
exponent must evaluate to at most `MAX_EXPONENT` in size, so nothing here can hang or blow up.
NumPy is imported only when a formula is evaluated (about 170 ms the first time, measured with
`python -X importtime` on a loaded 2-core machine).
"""

from __future__ import annotations

import math
import re
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from quizapp.answers import is_typo, parse_answer

MAX_FORMULA = 200  # characters; longer answers are compared as text only
MAX_TEXT = 2_000  # characters; longer answers are compared exactly (no typo search)
MAX_TOKENS = 120
MAX_DEPTH = 40
MAX_EXPONENT = 64

# ------------------------------------------------------------------ Unicode → one spelling

_SUPERSCRIPTS = {
    **{c: str(i) for i, c in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")},
    "⁻": "-",
    "⁺": "+",
    "⁽": "(",
    "⁾": ")",
    "ᵀ": "T",
    "ᵗ": "t",
    "ⁿ": "n",
    "ⁱ": "i",
    "ʲ": "j",
    "ᵏ": "k",
    "˟": "x",
}
_SUBSCRIPTS = {
    **{c: str(i) for i, c in enumerate("₀₁₂₃₄₅₆₇₈₉")},
    "₋": "-",
    "₊": "+",
    "₍": "(",
    "₎": ")",
    "ⱼ": "j",
    "ᵢ": "i",
    "ₖ": "k",
    "ₙ": "n",
    "ₜ": "t",
    "ₓ": "x",
    "ₐ": "a",
    "ₑ": "e",
    "ₒ": "o",
    "ₘ": "m",
    "ₚ": "p",
    "ₛ": "s",
    "ₗ": "l",
    "ₕ": "h",
    "ᵣ": "r",
    "ᵤ": "u",
    "ᵥ": "v",
}
_SUP_RUN = re.compile("[" + "".join(_SUPERSCRIPTS) + "]+")
_SUB_RUN = re.compile("[" + "".join(_SUBSCRIPTS) + "]+")
_ACCENTS = {"\u0302": "_hat", "\u0304": "_bar", "\u0305": "_bar", "\u0303": "_tilde"}
_SYMBOLS = str.maketrans(
    {
        "−": "-",
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "×": "*",
        "·": "*",
        "⋅": "*",
        "∙": "*",
        "•": "*",
        "⁄": "/",
        "∕": "/",
        "÷": "/",
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "\u00a0": " ",
    }
)
GREEK = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "eps": "ε",
    "zeta": "ζ",
    "eta": "η",
    "theta": "θ",
    "kappa": "κ",
    "lambda": "λ",
    "lam": "λ",
    "lmbda": "λ",
    "mu": "μ",
    "nu": "ν",
    "xi": "ξ",
    "pi": "π",
    "rho": "ρ",
    "sigma": "σ",
    "tau": "τ",
    "phi": "φ",
    "chi": "χ",
    "psi": "ψ",
    "omega": "ω",
}
_GREEK_RE = re.compile(
    r"(?<![A-Za-z])(" + "|".join(sorted(GREEK, key=len, reverse=True)) + r")(?![A-Za-z])",
    re.IGNORECASE,
)
_VARIANTS = str.maketrans({"ϵ": "ε", "ϑ": "θ", "ϕ": "φ", "ς": "σ", "µ": "μ"})


def _script(run: str, table: dict[str, str], mark: str) -> str:
    s = "".join(table[c] for c in run)
    return mark + (s if re.fullmatch(r"[-+]?\w+", s) else f"({s})")


_LATEX = {
    "cdot": "·", "times": "×", "top": "T", "|": "‖", "ell": "ℓ", "infty": "∞", "nabla": "∇",
    "sqrt": "√", "sum": "Σ", ",": " ", ";": " ", "!": "", " ": " ", "quad": " ",
}  # fmt: skip
_LATEX_RE = re.compile(
    r"\\(" + "|".join(re.escape(k) for k in sorted(_LATEX, key=len, reverse=True)) + r")"
)
_LATEX_GREEK = re.compile(r"\\(" + "|".join(sorted(GREEK, key=len, reverse=True)) + ")")


def _latex(s: str) -> str:
    """What people type from LaTeX habit: `\\lambda`, `\\frac{1}{2}`, `X^\\top`, `\\|w\\|`, `$`."""
    if "\\" not in s and "$" not in s:
        return s
    s = s.replace("$", "")
    s = re.sub(r"\\(?:left|right|[bB]igg?)(?![A-Za-z])", "", s)
    s = re.sub(r"\\(?:mathrm|text|operatorname|mathbf|boldsymbol)\{([^{}]*)\}", r"\1", s)
    for _ in range(3):  # nested \frac{\frac{…}{…}}{…}
        s = re.sub(r"\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}", r"(\1)/(\2)", s)
    s = re.sub(r"\\sqrt\{([^{}]*)\}", r"√(\1)", s)
    s = _LATEX_GREEK.sub(lambda m: GREEK[m.group(1)], s)  # `\\lambdaI`: the name ends there
    return _LATEX_RE.sub(lambda m: _LATEX[m.group(1)], s)


def unify(text: str) -> str:
    """One spelling for what Unicode and keyboards spell many ways (case is kept)."""
    s = unicodedata.normalize("NFD", _latex(text))
    for accent, name in _ACCENTS.items():
        s = s.replace(accent, name)
    s = unicodedata.normalize("NFC", s)
    s = _SUP_RUN.sub(lambda m: _script(m.group(), _SUPERSCRIPTS, "^"), s)
    s = _SUB_RUN.sub(lambda m: _script(m.group(), _SUBSCRIPTS, "_"), s)
    s = s.replace("½", "1/2").replace("¼", "1/4").replace("¾", "3/4")
    s = unicodedata.normalize("NFKC", s).translate(_VARIANTS).translate(_SYMBOLS)
    s = s.replace("**", "^").replace("||", "‖").replace("√", "sqrt")
    s = re.sub(r"\^\{([^{}]*)\}", r"^(\1)", s)
    s = re.sub(r"_\{([^{}]*)\}", r"_\1", s)
    s = re.sub(r"\^\((-?\d+|T)\)", r"^\1", s)  # ^(-1) = ^-1, ^(T) = ^T
    s = _GREEK_RE.sub(lambda m: GREEK[m.group(1).lower()], s)
    # X' (a prime after one letter, a hatted/barred letter or a bracket) is the transpose
    s = re.sub(r"(?<![A-Za-z])([A-Za-z](?:_hat|_bar|_tilde)?|\))'", r"\1^T", s)
    s = re.sub(r"(?<![A-Za-z])([lL])[-_ ]?(?:inf|infty|infinity)(?![A-Za-z])", r"\1∞", s)
    s = re.sub(r"_(?:inf|infty|infinity)(?![A-Za-z])", "_∞", s)
    s = re.sub(r"(?<![A-Za-z])(?:grad|nabla)\s*(?=[A-Za-z(])", "∇", s)  # grad L = ∇L
    return s.strip()


# ------------------------------------------------------------------ 1. text

_NUMBER_WORDS = {
    "zero": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "half": "1/2",
    "a half": "1/2",
    "one half": "1/2",
}
_OPERATORS = r"-+*/=()<>≤≥|‖,^\[\]{}"


def canonical(text: str) -> str:
    """The text reading: two answers with the same canonical string are the same answer."""
    s = unify(text).casefold().strip().rstrip(".").strip()
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"^(?:the (?=\S)|an? (?=[^\W\d_]{2}))", "", s)  # "the row space" = "row space"
    if s in _NUMBER_WORDS:
        return _NUMBER_WORDS[s]
    if re.fullmatch(r"[+-]?\d{1,3}( \d{3})+(\.\d+)?", s):
        s = s.replace(" ", "")  # 10 000
    s = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", s)  # 10,000
    s = re.sub(r"(?<![^\W\d_])([^\W\d_])_(?=\d+(?!\w))", r"\1", s)  # L_2 (from L₂) = L2
    s = re.sub(r"(?<![\w.])\.(?=\d)", "0.", s)  # .8
    s = re.sub(r"(\d\.\d*?)0+(?![\d])", r"\1", s)  # 0.20
    s = re.sub(r"(?<=\d)\.(?![\d])", "", s)  # 2.
    s = re.sub(r"(?<=[^\W\d_])[-_](?=[^\W\d_]{2})(?<=[^\W\d_]{2}[-_])", " ", s)  # soft-thresh…
    s = re.sub(rf"\s*([{_OPERATORS}])\s*", r"\1", s)
    # A space next to a one-letter symbol is juxtaposition (`λ w`, `x^T y`); between words it stays.
    s = re.sub(r"(?<![^\W_])(\w) (?=\w)|(?<=\w) (?=\w(?![^\W_]))", _juxtapose, s)
    s = re.sub(r"(?<![^\W_])([^\W\d_]) (?=∇)", r"\1", s)  # ρ ∇L = ρ∇L
    s = re.sub(r"(?<!\d)\*|\*(?!\d)", "", s)  # λ*w = λw, but 2*3 stays
    return s


def _juxtapose(m: re.Match[str]) -> str:
    return m.group(1) or ""


# ------------------------------------------------------------------ 2. numbers


def _numbers(text: str) -> float | list[float] | None:
    s = unify(text)
    if re.fullmatch(r"[+-]?\d{1,3}([, ]\d{3})+(\.\d+)?", s.strip()):
        s = s.replace(",", "").replace(" ", "")
    try:
        return parse_answer(s)
    except (ValueError, OverflowError):
        return None


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _same_numbers(a: float | list[float], b: float | list[float]) -> bool:
    if isinstance(a, list) != isinstance(b, list):
        return False
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    assert isinstance(a, float) and isinstance(b, float)
    return _close(a, b)


_DECIMAL = re.compile(r"[+-]?(\d*)\.(\d+)")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _rounds_to(given: str, accepted: str, value: float) -> bool:
    """`0.00676` or `1.67` for `1/148` or `5/3`: a decimal with at least two significant digits
    that is the accepted value correctly rounded — only when that value is not a short decimal
    itself (so `2.3` is not `9/4` = 2.25, and `0.5` is not `0.49`)."""
    m = _DECIMAL.fullmatch(unify(given).strip())
    if m is None or _PLAIN_NUMBER.fullmatch(unify(accepted).strip().replace(",", "")):
        return False
    if not math.isfinite(value) or abs(value * 1e6 - round(value * 1e6)) < 1e-6:
        return False  # a terminating decimal (2.25, 1.5): only the exact value is right
    digits = (m.group(1) + m.group(2)).lstrip("0")
    if len(digits) < 2:
        return False
    g = float(m.group())
    return abs(g - value) <= 0.5 * 10.0 ** -len(m.group(2)) * (1 + 1e-9)


# ------------------------------------------------------------------ 3. expressions


class _NoFormula(Exception):
    """The text is not a formula this parser reads (or it is too big to evaluate safely)."""


_FUNCTIONS = {"sqrt", "exp", "log", "ln", "sign", "sgn", "abs", "max", "min"}
_TOKEN = re.compile(
    r"""
    (?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
    |(?P<tr>\^T)
    |(?P<word>[^\W\d_]+\d*(?:_(?:\w+|\([^()]*\)))?)
    |(?P<op>[-+*/^()\[\],|‖])
    |(?P<space>\s+)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Tok:
    kind: str  # num | tr | sym | fn | op
    text: str


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise _NoFormula
        pos = m.end()
        kind = m.lastgroup
        value = m.group()
        if kind == "space":
            continue
        if kind == "num" and out and out[-1].kind == "num":
            raise _NoFormula  # `11 000` is not 11·0 (nor a product anyone writes)
        if kind == "word":
            out.extend(_words(value, text[pos : pos + 1] == "("))
        else:
            out.append(_Tok(kind or "op", value))
        if len(out) > MAX_TOKENS:
            raise _NoFormula
    return out


def _words(run: str, call: bool) -> list[_Tok]:
    """`λw` → λ, w; `xy` → x, y; `rate` and `L2` are one symbol; `sqrt(` is a function."""
    base, sep, sub = run.partition("_")
    tail = f"_{sub}" if sep else ""
    segments = re.findall(r"[A-Za-z]+\d*|\D", base)
    out: list[_Tok] = []
    for k, seg in enumerate(segments):
        last = k == len(segments) - 1
        if last and call and not sep and seg.lower() in _FUNCTIONS:
            out.append(_Tok("fn", seg.lower()))
        elif seg.isascii() and (len(seg) >= 3 or any(c.isdigit() for c in seg)):
            out.append(_Tok("sym", seg))
        else:
            out.extend(_Tok("sym", c) for c in seg)
    if tail:
        if out[-1].kind != "sym":
            raise _NoFormula
        out[-1] = _Tok("sym", out[-1].text + tail)
    return out


class _Parser:
    """Recursive descent over the tokens, building a small tuple AST."""

    def __init__(self, tokens: list[_Tok]) -> None:
        self.toks = tokens
        self.i = 0
        self.depth = 0
        self.bars = 0  # open |…| (a `|` then closes instead of opening)

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, text: str | None = None) -> _Tok:
        tok = self.peek()
        if tok is None or (text is not None and tok.text != text):
            raise _NoFormula
        self.i += 1
        return tok

    def parse(self) -> Any:
        if not self.toks:
            raise _NoFormula
        node = self.expr()
        if self.peek() is not None:
            raise _NoFormula
        return node

    def expr(self) -> Any:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _NoFormula
        node = self.term()
        while (tok := self.peek()) is not None and tok.text in "+-" and tok.kind == "op":
            self.take()
            node = ("+" if tok.text == "+" else "-", node, self.term())
        self.depth -= 1
        return node

    def _starts_primary(self, tok: _Tok | None) -> bool:
        if tok is None:
            return False
        if tok.kind in ("num", "sym", "fn"):
            return True
        return tok.text in ("(", "[", "‖") or (tok.text == "|" and self.bars == 0)

    def term(self) -> Any:
        node = self.unary()
        while True:
            tok = self.peek()
            if tok is not None and tok.text in ("*", "/"):
                self.take()
                node = (tok.text, node, self.unary())
            elif self._starts_primary(tok):
                node = ("*", node, self.power())
            else:
                return node

    def unary(self) -> Any:
        tok = self.peek()
        if tok is not None and tok.kind == "op" and tok.text in "+-":
            self.take()
            inner = self.unary()
            return ("neg", inner) if tok.text == "-" else inner
        return self.power()

    def power(self) -> Any:
        node = self.primary()
        while True:
            tok = self.peek()
            if tok is not None and tok.kind == "tr":
                self.take()
                node = ("T", node)
            elif tok is not None and tok.text == "^":
                self.take()
                node = ("^", node, self.unary())
            else:
                return node

    def primary(self) -> Any:
        tok = self.take()
        if tok.kind == "num":
            value = float(tok.text)
            if not math.isfinite(value):
                raise _NoFormula
            return ("num", value)
        if tok.kind == "sym":
            return ("sym", tok.text)
        if tok.kind == "fn":
            self.take("(")
            bars, self.bars = self.bars, 0
            args = [self.expr()]
            while self.peek() == _Tok("op", ","):
                self.take()
                args.append(self.expr())
            self.bars = bars
            self.take(")")
            return ("fn", tok.text, tuple(args))
        if tok.text == "(":
            bars, self.bars = self.bars, 0
            node = self.expr()
            self.bars = bars
            self.take(")")
            return node
        if tok.text == "[":
            bars, self.bars = self.bars, 0
            items = [self.expr()]
            while self.peek() == _Tok("op", ","):
                self.take()
                items.append(self.expr())
            self.bars = bars
            self.take("]")
            return ("list", tuple(items))
        if tok.text == "|" and self.bars == 0:
            self.bars += 1
            node = self.expr()
            self.bars -= 1
            self.take("|")
            return ("fn", "abs", (node,))
        if tok.text == "‖":
            bars, self.bars = self.bars, 0
            node = self.expr()
            self.bars = bars
            self.take("‖")
            return ("norm", node)
        raise _NoFormula


def parse_formula(text: str) -> Any:
    """The AST of a formula, or None when `text` is not one (or is too big to evaluate)."""
    s = unify(text)
    if len(s) > MAX_FORMULA:
        return None
    try:
        return _Parser(_tokens(s)).parse()
    except (_NoFormula, RecursionError):
        return None


def _has_transpose(node: Any) -> bool:
    if not isinstance(node, tuple):
        return False
    return node[:1] == ("T",) or any(_has_transpose(n) for n in node)


_POINTS = 12
_SIZE = 3


class _Evaluator:
    """Evaluate an AST at `_POINTS` points at once (NumPy arrays with the points first)."""

    def __init__(self, matrices: bool) -> None:
        import numpy as np  # ~170 ms (python -X importtime), only when a formula is compared

        self.np = np
        self.matrices = matrices
        self.cache: dict[str, Any] = {}

    def symbol(self, name: str) -> Any:
        np = self.np
        if name not in self.cache:
            rng = np.random.default_rng(zlib.crc32(name.encode()))
            latin = name[:1].isascii()
            if self.matrices and latin and name == "I":
                self.cache[name] = np.broadcast_to(np.eye(_SIZE), (_POINTS, _SIZE, _SIZE))
            elif self.matrices and latin:
                m = rng.uniform(-1.0, 1.0, size=(_POINTS, _SIZE, _SIZE))
                self.cache[name] = m.astype(complex)
            else:  # half the points negative, in a per-symbol order: |x| ≠ x, sign(x) ≠ sign(y)
                signs = rng.permutation(np.repeat([1.0, -1.0], _POINTS // 2))
                v = rng.uniform(0.3, 1.7, size=_POINTS) * signs
                self.cache[name] = v.astype(complex)
        return self.cache[name]

    def is_matrix(self, x: Any) -> bool:
        return bool(getattr(x, "ndim", 0) == 3)

    def mul(self, a: Any, b: Any) -> Any:
        if self.is_matrix(a) and self.is_matrix(b):
            return a @ b
        if self.is_matrix(a) or self.is_matrix(b):
            return self._lift(a) * self._lift(b)
        return a * b

    def _lift(self, x: Any) -> Any:
        """A per-point scalar (shape (P,)) broadcast against matrices (shape (P, n, n))."""
        return x[:, None, None] if getattr(x, "ndim", 0) == 1 else x

    def inv(self, x: Any) -> Any:
        if self.is_matrix(x):
            return self.np.linalg.inv(x)
        return 1.0 / x

    def eval(self, node: Any) -> Any:
        np = self.np
        op = node[0]
        if op == "num":
            return np.full(_POINTS, node[1], dtype=complex)
        if op == "sym":
            return self.symbol(node[1])
        if op == "neg":
            return -self.eval(node[1])
        if op in ("+", "-"):
            a, b = self.eval(node[1]), self.eval(node[2])
            if self.is_matrix(a) != self.is_matrix(b):
                raise _NoFormula  # a matrix plus a scalar: not the same kind of thing
            return a + b if op == "+" else a - b
        if op == "*":
            return self.mul(self.eval(node[1]), self.eval(node[2]))
        if op == "/":
            return self.mul(self.eval(node[1]), self.inv(self.eval(node[2])))
        if op == "T":
            x = self.eval(node[1])
            return np.swapaxes(x, -1, -2) if self.is_matrix(x) else x
        if op == "^":
            return self.power(self.eval(node[1]), self.eval(node[2]))
        if op == "norm":
            x = self.eval(node[1])
            if self.is_matrix(x):
                return np.sqrt((np.abs(x) ** 2).sum(axis=(1, 2))).astype(complex)
            return np.abs(x).astype(complex)
        if op == "fn":
            return self.function(node[1], [self.eval(a) for a in node[2]])
        raise _NoFormula  # lists are compared as numbers, not here

    def power(self, base: Any, exp: Any) -> Any:
        np = self.np
        if self.is_matrix(exp) or not np.all(np.abs(exp) <= MAX_EXPONENT):
            raise _NoFormula
        if self.is_matrix(base):
            first = exp[0]
            if not np.allclose(exp, first) or first.imag or first.real != round(first.real):
                raise _NoFormula
            n = int(first.real)
            return (
                np.linalg.matrix_power(base, n)
                if n >= 0
                else np.linalg.matrix_power(np.linalg.inv(base), -n)
            )
        return base**exp

    def function(self, name: str, args: list[Any]) -> Any:
        np = self.np
        if name in ("max", "min"):
            if len(args) != 2 or any(self.is_matrix(a) for a in args):
                raise _NoFormula
            pick = args[0].real >= args[1].real if name == "max" else args[0].real <= args[1].real
            return np.where(pick, args[0], args[1])
        if len(args) != 1:
            raise _NoFormula
        (x,) = args
        if name == "abs":
            return np.abs(x).astype(complex)
        if name in ("sign", "sgn"):
            return np.sign(x.real).astype(complex)
        if self.is_matrix(x):
            raise _NoFormula
        if name == "sqrt":
            return np.sqrt(x)
        if name == "exp":
            return np.exp(x) if np.all(x.real < 700) else _raise()
        return np.log(x)  # log, ln


def _raise() -> Any:
    raise _NoFormula


def same_formula(a: str, b: str) -> bool:
    """Both parse as formulas and agree at the same random points (None-safe, never raises)."""
    ta, tb = parse_formula(a), parse_formula(b)
    if ta is None or tb is None or ta[0] == "list" or tb[0] == "list":
        return False
    if ta == tb:
        return True
    ev = _Evaluator(matrices=_has_transpose(ta) or _has_transpose(tb))
    np = ev.np
    try:
        with np.errstate(all="ignore"):
            va, vb = ev.eval(ta), ev.eval(tb)
    except (_NoFormula, np.linalg.LinAlgError, ValueError, OverflowError, ZeroDivisionError):
        return False
    if va.shape != vb.shape:
        return False
    va = va.reshape(_POINTS, -1)
    vb = vb.reshape(_POINTS, -1)
    finite = np.isfinite(va).all(axis=1) & np.isfinite(vb).all(axis=1)
    if finite.sum() < _POINTS // 2:
        return False
    scale = np.maximum(1.0, np.maximum(np.abs(va[finite]), np.abs(vb[finite])))
    return bool(np.all(np.abs(va[finite] - vb[finite]) <= 1e-8 * scale))


_MATHY = re.compile(r"[\d+\-*/^()|‖_=√\u0370-\u03ff]|sqrt")


def _looks_like_math(text: str) -> bool:
    """Formulas have digits, operators or Greek letters; `weight decay` is words, not w·e·i…"""
    return bool(_MATHY.search(unify(text)))


# ------------------------------------------------------------------ all three


@dataclass(frozen=True)
class Match:
    correct: bool
    typo: bool = False  # right, but for a typo in a long word
    how: str = ""  # text | numbers | formula | typo | "" (wrong)


def match(given: str, accepted: Sequence[str]) -> Match:
    """Is `given` the same answer as any of `accepted`? Never raises."""
    if len(given) > MAX_TEXT:
        return Match(any(given.strip() == a.strip() for a in accepted), how="text")
    g = canonical(given)
    if not g:
        return Match(False)
    canon = [canonical(a) for a in accepted]
    if g in canon:
        return Match(True, how="text")
    g_num = _numbers(given)
    if g_num is not None:
        for a in accepted:
            a_num = _numbers(a)
            if a_num is not None and _same_numbers(g_num, a_num):
                return Match(True, how="numbers")
            scalars = isinstance(g_num, float) and isinstance(a_num, float)
            if scalars and _rounds_to(given, a, float(a_num)):  # type: ignore[arg-type]
                return Match(True, how="numbers")
    if len(given) <= MAX_FORMULA and _looks_like_math(given):
        for a in accepted:
            if _looks_like_math(a) and same_formula(given, a):
                return Match(True, how="formula")
    g_words = g.split(" ")
    for a in canon:
        a_words = a.split(" ")
        if len(a_words) == len(g_words) and all(
            x == y or is_typo(x, y) for x, y in zip(g_words, a_words, strict=True)
        ):
            return Match(True, typo=True, how="typo")
    return Match(False)
