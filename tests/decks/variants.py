"""ASCII and spacing spellings of an expected answer, as a person at a plain keyboard types them.

Used by the property test over every checkable shipped card: each spelling must be accepted.
Written independently of `quizapp.answer_match` (a table of what people type, not its rules).
"""

from __future__ import annotations

import random
import re
import unicodedata

GREEK_NAMES = {
    "α": ["alpha"],
    "β": ["beta"],
    "γ": ["gamma"],
    "δ": ["delta"],
    "ε": ["eps", "epsilon"],
    "η": ["eta"],
    "θ": ["theta"],
    "λ": ["lambda", "lam"],
    "μ": ["mu"],
    "ρ": ["rho"],
    "σ": ["sigma"],
    "τ": ["tau"],
    "φ": ["phi"],
    "ω": ["omega"],
}
SUPERSCRIPT = {"²": ["^2", "**2"], "³": ["^3"], "ᵀ": ["^T"], "⁻¹": ["^-1", "^(-1)"], "⁺": ["^+"]}
SUBSCRIPT = dict(zip("₀₁₂₃₄₅₆₇₈₉", "0123456789", strict=True)) | {"ⱼ": "j", "ᵢ": "i", "ₖ": "k"}


def ascii_variant(text: str, rnd: random.Random) -> str:
    """One plain-keyboard spelling of `text` (random choices from `rnd`)."""
    s = unicodedata.normalize("NFC", text)
    # combining accents: ŵ → w_hat, x̄ → x_bar
    s = unicodedata.normalize("NFD", s)
    s = s.replace("\u0302", "_hat").replace("\u0304", "_bar")
    s = unicodedata.normalize("NFC", s)
    s = s.replace("⁻¹", rnd.choice(SUPERSCRIPT["⁻¹"]))
    for sup in ("²", "³", "ᵀ", "⁺"):
        s = s.replace(sup, rnd.choice(SUPERSCRIPT[sup]))
    for sub, plain in SUBSCRIPT.items():
        s = s.replace(sub, "_" + plain)
    s = s.replace("½", rnd.choice(["1/2", "0.5", "(1/2)"]))
    s = re.sub(r"√\(", "sqrt(", s)
    s = re.sub(r"√(\w)", r"sqrt(\1)", s)
    s = s.replace("‖", "||")
    s = s.replace("−", "-").replace("–", "-")
    times = rnd.choice(["*", " * ", ""])
    s = re.sub(r"(?<=\d)·(?=\d)", "*", s)
    s = s.replace("·", times if times else "*") if rnd.random() < 0.5 else s.replace("·", "*")
    out = []
    for i, ch in enumerate(s):
        if ch in GREEK_NAMES:
            name = rnd.choice(GREEK_NAMES[ch])
            before = s[i - 1] if i else ""
            after = s[i + 1] if i + 1 < len(s) else ""
            sep = rnd.choice(["*", " "])
            if before.isalpha() and before.isascii():
                name = sep + name
            if after.isalpha():
                name += sep
            out.append(name)
        else:
            out.append(ch)
    s = "".join(out)
    return respace(s, rnd)


def respace(s: str, rnd: random.Random) -> str:
    """Spaces around operators and after commas: all removed, all added, or as they were."""
    how = rnd.choice(["tight", "loose", "keep"])
    if how == "tight":
        s = re.sub(r"\s*([-+/=,()^])\s*", r"\1", s)
        s = re.sub(r"\s+(?=[-+/=,()^])|(?<=[-+/=,()^])\s+", "", s)
    elif how == "loose":
        s = re.sub(r"\s*([+=])\s*", r" \1 ", s)
        s = re.sub(r"\s*,(?!\d{3})\s*", ", ", s)
    if rnd.random() < 0.3:
        s = " " + s + "  "
    return s


def number_variant(text: str, rnd: random.Random) -> str:
    """`0.8` → `.8` or `0.80`; lists lose or gain spaces after commas."""
    s = text
    if rnd.random() < 0.5:
        s = re.sub(r"(?<![\d.])0\.(\d)", r".\1", s)
    elif re.search(r"\d\.\d", s):
        s = re.sub(r"(\d\.\d+)(?!\d)", r"\g<1>0", s)
    return respace(s, rnd)


def case_variant(text: str, rnd: random.Random) -> str:
    return rnd.choice([text.upper(), text.lower(), text.title(), text])
