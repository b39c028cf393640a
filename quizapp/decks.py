"""Deck files: pydantic models of the YAML format and a loader whose errors carry file:line.

Why YAML: block scalars (`|`) keep Markdown, code and formulas readable and diff-friendly,
and PyYAML's node marks give every key and value a line number, so a bad card is reported as
`decks/l1.yaml:42: ...` rather than "card 7 is invalid".
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import gc
import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from quizapp.paths import bundled_decks_dir, deck_paths

__all__ = ["bundled_decks_dir", "deck_paths", "load_decks", "load_file"]

SEED_FILES = (
    "000_4c3383d0186828eb.txt",
    "001_7a9c81cb3ec3ad4f.txt",
    "002_9d5c5c1ed1f8d08b.txt",
    "003_6f62d28b9c671f57.txt",
    "004_f001b020ce0921ab.txt",
)
_ID = r"^[a-z0-9][a-z0-9_.-]*$"
# Anki's cloze syntax: {{c1::answer}} or {{c1::answer::hint}}.
CLOZE_RE = re.compile(r"\{\{c(\d+)::(.+?)(?:::(.+?))?\}\}", re.DOTALL)
_GAP_START_RE = re.compile(r"\{\{c(\d*)(::)?")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(_Model):
    """Where a card comes from: a seed file and its section, and/or a reference beyond them."""

    seed: str | None = Field(None, description="seed file name, e.g. 003_6f62d28b9c671f57.txt")
    section: str | None = Field(None, description="section heading in the seed file")
    beyond: str | None = Field(None, description="a paper or documentation page beyond the seeds")

    @model_validator(mode="after")
    def _one_form(self) -> Source:
        if self.seed is None and self.beyond is None:
            raise ValueError("source needs `seed` + `section`, or `beyond` with a reference")
        if self.seed is not None:
            if self.seed not in SEED_FILES:
                raise ValueError(
                    f"unknown seed file {self.seed!r}; expected one of: {', '.join(SEED_FILES)}"
                )
            if not self.section:
                raise ValueError("a source with `seed` also needs the `section` heading")
        elif self.section is not None:
            raise ValueError("`section` needs a `seed` file")
        return self

    def label(self) -> str:
        """Named for people: "Dropout in practice (source 001); Srivastava et al. (2014)"."""
        parts = []
        if self.seed:
            parts.append(f"{self.section} (source {self.seed[:3]})")
        if self.beyond:
            parts.append(self.beyond)
        return "; ".join(parts)


class FigureSpec(BaseModel):
    """A figure computed by the solvers, shown with the card: `{kind: lasso_path, seed: 3}`.

    Keys besides `kind`, `seed` and `show` are the figure kind's parameters (e.g.
    `penalty: l2`), checked against `quizapp.figures.KINDS` so a typo fails `decks check`.
    """

    model_config = ConfigDict(extra="allow", frozen=True)

    kind: str = Field(description="a figure kind from `quizapp figure --list`")
    seed: int = Field(0, ge=0, lt=2**32, strict=True)
    show: Literal["prompt", "answer"] = Field(
        "answer", description="offer the figure with the question, or only with the answer"
    )

    @model_validator(mode="after")
    def _known(self) -> FigureSpec:
        from quizapp.errors import UsageError
        from quizapp.figures import KINDS, parse_params

        if self.kind not in KINDS:
            raise ValueError(f"unknown figure kind {self.kind!r}; one of: {', '.join(KINDS)}")
        try:
            parse_params(self.kind, self.params)
        except UsageError as exc:
            raise ValueError(str(exc)) from None
        return self

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class _CardBase(_Model):
    id: str = Field(pattern=_ID, description="stable id, unique across all decks")
    tags: list[str] = Field(default_factory=list)
    tasks: list[str] = Field(
        default_factory=list,
        description="coding task ids whose concept this card teaches; a failed attempt "
        "makes the card due (see `quizapp tasks list`)",
    )
    explanation: str = Field(min_length=1, description="why the answer is right (Markdown)")
    source: Source
    figure: FigureSpec | None = Field(
        None, description="a figure drawn from the solvers, shown with the card"
    )

    @property
    def prompt_text(self) -> str:
        return getattr(self, "prompt", "")

    @property
    def answer_text(self) -> str:
        return getattr(self, "answer", "")


class BasicCard(_CardBase):
    type: Literal["basic"]
    prompt: str = Field(min_length=1)
    answer: str = Field(min_length=1)


class ClozeCard(_CardBase):
    """`text` holds one or more gaps in Anki syntax; all gaps are hidden together."""

    type: Literal["cloze"]
    text: str = Field(min_length=1)

    @field_validator("text")
    @classmethod
    def _has_gap(cls, v: str) -> str:
        starts = list(_GAP_START_RE.finditer(v))
        if not starts:
            raise ValueError("cloze text has no gap; mark one as {{c1::answer}}")
        for start in starts:
            m = CLOZE_RE.match(v, start.start())
            shown = v[start.start() : start.start() + 20].split("\n")[0]
            if not start.group(1) or not start.group(2):
                raise ValueError(f"malformed gap `{shown}`; write {{{{c1::answer}}}}")
            rest = v[start.end() :]
            if rest.startswith(("}}", "::")) or (m and not m.group(2).strip()):
                raise ValueError(f"empty gap `{shown}`; put the answer inside: {{{{c1::answer}}}}")
            if m is None or "{{" in m.group(2) or "}}" in m.group(2):
                raise ValueError(f"gap `{shown}` is not closed; end it with `}}}}`")
            problem = _alternatives_problem(m.group(2))
            if problem:
                raise ValueError(problem)
        return v

    accept: dict[str, list[str]] | None = Field(
        None,
        description="more accepted answers per gap number, e.g. {c1: [soft-thresholding]}",
    )

    @field_validator("accept")
    @classmethod
    def _accept_names_gaps(
        cls, v: dict[str, list[str]] | None, info: ValidationInfo
    ) -> dict[str, list[str]] | None:
        text = info.data.get("text")
        if v is None or not isinstance(text, str):
            return v
        numbers = {f"c{m.group(1)}" for m in CLOZE_RE.finditer(text)}
        for key, answers in v.items():
            if key not in numbers:
                have = ", ".join(sorted(numbers))
                raise ValueError(f"`{key}` is not a gap of this card; its gaps are {have}")
            if not answers or any(not a.strip() for a in answers):
                raise ValueError(f"`{key}` needs a list of non-empty answers")
        return v

    @property
    def prompt_text(self) -> str:
        return CLOZE_RE.sub(lambda m: f"[{m.group(3) or '…'}]", self.text)

    @property
    def answer_text(self) -> str:
        return CLOZE_RE.sub(lambda m: f"**{split_alternatives(m.group(2))[0]}**", self.text)

    def gaps(self) -> list[str]:
        """The answer shown for each gap, in order (the first alternative)."""
        return [split_alternatives(m.group(2))[0] for m in CLOZE_RE.finditer(self.text)]

    def gap_answers(self) -> list[list[str]]:
        """Every accepted answer of each gap: its `|` alternatives, then its `accept:` list."""
        extra = self.accept or {}
        return [
            [*split_alternatives(m.group(2)), *extra.get(f"c{m.group(1)}", [])]
            for m in CLOZE_RE.finditer(self.text)
        ]


_ALT_SPLIT = re.compile(r"(?<!\\)\|")


def split_alternatives(gap: str) -> list[str]:
    """`soft_threshold|soft-thresholding` → both; `\\|` is a literal bar (|x| in a formula)."""
    return [part.replace("\\|", "|").strip() for part in _ALT_SPLIT.split(gap)]


def _alternatives_problem(gap: str) -> str | None:
    parts = _ALT_SPLIT.split(gap)
    if len(parts) == 1:
        return None
    if any(not p.strip() or p != p.strip() for p in parts):
        return (
            f"gap `{gap[:30]}` splits at `|` into alternatives {[p for p in parts]}; "
            "write a literal bar (an absolute value) as `\\|`, and no spaces around a `|` "
            "between alternatives"
        )
    return None


class Option(_Model):
    text: str = Field(min_length=1)
    correct: StrictBool = False
    why: str | None = Field(None, description="why this option is right or wrong")

    @field_validator("why", mode="before")
    @classmethod
    def _why_not_empty(cls, v: Any) -> Any:  # runs only when `why:` is written
        if v is None or (isinstance(v, str) and not v.strip()):
            raise ValueError("`why:` is empty; say why this option is right or wrong, or remove it")
        return v


class MultipleChoiceCard(_CardBase):
    type: Literal["multiple_choice"]
    prompt: str = Field(min_length=1)
    options: list[Option] = Field(min_length=2, max_length=6)  # picked with keys a–f

    @field_validator("options")
    @classmethod
    def _one_right(cls, v: list[Option]) -> list[Option]:
        if not any(o.correct for o in v):
            raise ValueError("multiple choice without a right option; mark one `correct: true`")
        texts = [o.text for o in v]
        if len(set(texts)) != len(texts):
            raise ValueError("two options have the same text")
        return v

    @property
    def multiple(self) -> bool:
        return sum(o.correct for o in self.options) > 1

    @property
    def answer_text(self) -> str:
        return "; ".join(o.text for o in self.options if o.correct)


class TypedCard(_CardBase):
    """Answered by typing; any of `accept` counts (case and spacing are ignored)."""

    type: Literal["typed"]
    prompt: str = Field(min_length=1)
    accept: list[str] = Field(min_length=1, description="accepted answers; the first is shown")

    @property
    def answer_text(self) -> str:
        return self.accept[0]


class NumericCard(_CardBase):
    """A fresh instance of a worked-example generator in `solvers.examples` at every review."""

    type: Literal["numeric"]
    example: str = Field(description="worked-example kind, see `quizapp example --list`")
    prompt: str | None = Field(None, description="optional lead-in shown above the problem")


class CodeCard(_CardBase):
    """Opens the coding task in the editor; passing its tests suggests Good."""

    type: Literal["code"]
    task: str = Field(description="grading task id, see `quizapp tasks list`")
    prompt: str | None = Field(None, description="optional lead-in shown above the statement")


class ChainStep(_Model):
    """One follow-up of a chain card: what the interviewer asks next, and a good answer."""

    ask: str = Field(min_length=1, description="the follow-up question (Markdown)")
    answer: str = Field(min_length=1, description="a good answer to it (Markdown)")


class ChainCard(_CardBase):
    """An interviewer's line of questioning: an opening question, then follow-ups revealed one
    at a time, each judged on its own; the card's rating is derived from the steps."""

    type: Literal["chain"]
    prompt: str = Field(min_length=1, description="the opening question")
    answer: str = Field(min_length=1, description="a good answer to the opening question")
    followups: list[ChainStep] = Field(
        min_length=1, max_length=8, description="the follow-ups, in the order they are asked"
    )


Card = Annotated[
    BasicCard | ClozeCard | MultipleChoiceCard | TypedCard | NumericCard | CodeCard | ChainCard,
    Field(discriminator="type"),
]
CARD_TYPES = ("basic", "cloze", "multiple_choice", "typed", "numeric", "code", "chain")


class DeckFile(_Model):
    deck: str = Field(pattern=_ID, description="deck id, used by --deck")
    title: str = Field(min_length=1)
    description: str = ""
    order: int = Field(
        100,
        ge=0,
        le=10_000,
        strict=True,
        description="where the deck is listed and where its new cards come in (lower first)",
    )
    cards: list[Card] = Field(min_length=1)


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Deck:
    """One loaded deck. A deck served from the per-file cache holds its cards as JSON until
    `cards` is first asked for (most callers, the catalog among them, never ask)."""

    id: str
    title: str
    description: str
    path: Path
    _cards: list[Any] | None  # list[Card]; None: not built yet (see `_raw_source`)
    card_lines: dict[str, int] = field(default_factory=dict)
    order: int = 100
    # The kept cards as JSON (as `model_dump(mode="json", exclude_none=True)`), or a function
    # that decodes them from the cache; None: dump the models when asked.
    _raw_source: list[dict[str, Any]] | Callable[[], list[dict[str, Any]]] | None = field(
        default=None, repr=False, compare=False
    )
    # Each kept card's id, type and tags, known without the cards' content (the catalog's index).
    card_ids: list[str] = field(default_factory=list, repr=False, compare=False)
    card_types: list[str] = field(default_factory=list, repr=False, compare=False)
    card_tags: list[list[str]] = field(default_factory=list, repr=False, compare=False)
    # Where the kept cards' JSON lives in the per-file cache: (entry key, indices kept from the
    # file, None: all). The catalog reads a deck's content from there instead of keeping a copy.
    cache_ref: tuple[str, list[int] | None] | None = field(default=None, repr=False, compare=False)

    @property
    def cards(self) -> list[Any]:
        """The cards as pydantic models (Any keeps mypy away from the Annotated union)."""
        if self._cards is None:
            self._cards = list(_CARDS_ADAPTER().validate_python(self.raw_cards()))
        return self._cards

    def raw_cards(self) -> list[dict[str, Any]]:
        """The cards as JSON data, without building models when they came from the cache."""
        source = self._raw_source
        if callable(source):
            source = self._raw_source = source()
        if source is None:
            source = self._raw_source = [
                c.model_dump(mode="json", exclude_none=True) for c in self.cards
            ]
        return source


@dataclass
class DeckSet:
    """All decks that loaded, and every problem found; a broken file never hides the others."""

    decks: list[Deck] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def by_id(self, deck_id: str) -> Deck | None:
        return next((d for d in self.decks if d.id == deck_id), None)

    def cards(self) -> Iterable[tuple[Deck, Any]]:
        for deck in self.decks:
            for card in deck.cards:
                yield deck, card

    def card(self, card_id: str) -> tuple[Deck, Any] | None:
        for deck, card in self.cards():
            if card.id == card_id:
                return deck, card
        return None


# ---------------------------------------------------------------- YAML with line numbers


_YAML_TAG = "tag:yaml.org,2002:"
_MERGE_TAG = _YAML_TAG + "merge"
# Tags a deck file may use (implicitly, or written out as `!!str 12`); anything else -
# `!!python/object`, `!!binary`, `!custom` - is refused rather than half-understood.
_ALLOWED_TAGS = frozenset(
    _YAML_TAG + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)
# Aliases can make a small file expand to billions of values ("billion laughs"): cap how many
# values are built again through an alias (a file without aliases builds none again).
MAX_ALIASED_VALUES = 1_000_000


class _Builder:
    """Turn a composed YAML node into Python data, remembering the line of every path."""

    def __init__(self, lines: dict[tuple[Any, ...], int]) -> None:
        self.lines = lines
        self.seen: set[int] = set()
        self.repeated = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, path: tuple[Any, ...]) -> Any:
        if id(node) in self.seen:
            self.repeated += 1
            if self.repeated > MAX_ALIASED_VALUES:
                raise _BuildError(
                    node.start_mark.line + 1,
                    f"aliases here expand to more than {MAX_ALIASED_VALUES:,} values (aliases of "
                    "aliases?); write the values out instead",
                )
        else:
            self.seen.add(id(node))
        self.lines[path] = node.start_mark.line + 1
        if node.tag not in _ALLOWED_TAGS:
            raise _BuildError(
                node.start_mark.line + 1,
                f"YAML tag `{node.tag.replace(_YAML_TAG, '!!')}` is not allowed in a deck file; "
                "remove it (quote the value if it is meant as text)",
            )
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            merges: list[yaml.Node] = []
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE_TAG:
                    merges.append(value_node)
                    continue
                key = self._scalar(key_node)
                if key in out:
                    raise _DuplicateKey(key_node.start_mark.line + 1, key)
                self.lines[(*path, key, "__key__")] = key_node.start_mark.line + 1
                out[key] = self.build(value_node, (*path, key))
            if not merges:
                return out
            # `<<: *base` fills in the keys the mapping does not set itself.
            merged: dict[Any, Any] = {}
            for merge in merges:
                self._merge(merge, path, merged)
            return {**merged, **out}
        if isinstance(node, yaml.SequenceNode):
            return [self.build(v, (*path, i)) for i, v in enumerate(node.value)]
        return self._scalar(node)

    def _merge(self, node: yaml.Node, path: tuple[Any, ...], merged: dict[Any, Any]) -> None:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                raise _BuildError(
                    source.start_mark.line + 1,
                    "`<<:` merges a mapping: write `<<: *anchor` where `&anchor` names a mapping",
                )
            own, self.lines = self.lines, {}
            try:
                value = self.build(source, path)
            finally:
                found, self.lines = self.lines, own
            for key, item in value.items():
                if key not in merged:  # the first mapping listed wins, as in YAML 1.1
                    merged[key] = item
            for where, line in found.items():  # keys set in the mapping itself keep theirs
                self.lines.setdefault(where, line)

    def _scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise _BuildError(
                node.start_mark.line + 1,
                "a key must be plain text, not a list or mapping",
            )
        if node.tag not in _ALLOWED_TAGS:
            raise _BuildError(
                node.start_mark.line + 1,
                f"YAML tag `{node.tag.replace(_YAML_TAG, '!!')}` is not allowed in a deck file; "
                "remove it (quote the value if it is meant as text)",
            )
        if node.tag == _STR_TAG:  # most values: what the safe constructor returns for them
            return node.value
        # The safe constructor, so `true`, `0.5` and `null` mean what YAML says they mean.
        return self.constructor.construct_object(node, deep=True)


def _build(node: yaml.Node, path: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> Any:
    return _Builder(lines).build(node, path)


class _BuildError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _DuplicateKey(Exception):
    def __init__(self, line: int, key: Any) -> None:
        super().__init__(f"duplicate key {key!r}")
        self.line = line
        self.key = key


_STR_TAG = _YAML_TAG + "str"
_BASE_LOADER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built


class _Loader(_BASE_LOADER):
    """The safe loader (libyaml's parser when PyYAML has it), remembering the tag it resolved
    for each plain scalar: a deck repeats its keys (`id`, `type`, `prompt`...) and values
    (`basic`) thousands of times, and each resolution tries a dozen regular expressions.
    Without path resolvers (the safe loader has none) the tag depends on the text alone."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._tags: dict[str, str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0] and not self.yaml_path_resolvers:
            tag = self._tags.get(value)
            if tag is None:
                tag = self._tags[value] = super().resolve(kind, value, implicit)
            return tag
        return super().resolve(kind, value, implicit)


_LOADER_CLS: type[Any] = _Loader


@contextlib.contextmanager
def _no_cycle_collector() -> Iterator[None]:
    """Pause Python's cycle collector while a file is parsed and validated.

    Parsing allocates a node, a dict or a tuple for every value, and each few hundred
    allocations start a collection that walks every live object: two thirds of the time
    of a 2,000-card file went there. The parse makes no reference cycles worth collecting
    (reference counting frees it), and the collector runs again once the file is done.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _line_for(loc: Sequence[Any], lines: dict[tuple[Any, ...], int]) -> int:
    """The deepest known line for a pydantic error location (which mixes in union tags)."""
    path: tuple[Any, ...] = ()
    best = lines.get((), 1)
    for part in loc:
        if (*path, part) in lines:
            path = (*path, part)
            best = lines[path]
    return best


def _format_error(err: dict[str, Any], card_id: str | None = None) -> str:
    loc = [p for p in err["loc"] if not (isinstance(p, str) and p in CARD_TYPES)]
    if loc[:1] == ["cards"] and len(loc) >= 2:
        loc = loc[2:]  # the line number already says which card
    where = ".".join(str(p) for p in loc)
    prefix = f"card `{card_id}`: " if card_id else ""
    return prefix + _format_error_body(err, loc, where)


def _format_error_body(err: dict[str, Any], loc: list[Any], where: str) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    got = _kind_of(err.get("input"))
    if kind == "extra_forbidden":
        allowed = _allowed_keys(err["loc"])
        hint = f"; allowed here: {', '.join(allowed)}" if allowed else ""
        return f"unknown key `{loc[-1]}`{hint}"
    if kind == "missing":
        return f"missing key `{loc[-1]}`"
    if kind == "union_tag_invalid":
        return f"unknown card type; use one of: {', '.join(CARD_TYPES)}"
    if kind == "union_tag_not_found":
        return f"card has no `type`; use one of: {', '.join(CARD_TYPES)}"
    if kind in ("model_type", "model_attributes_type", "dict_type") and not where:
        return f"each entry under `cards:` must be a card (a mapping with id, type, …), not {got}"
    msg = str(err["msg"]).removeprefix("Value error, ")
    if kind == "string_pattern_mismatch":
        msg = "ids use lowercase letters, digits, '-', '_' and '.'"
    elif kind == "string_type":
        msg = f"expected text, not {got}; put the value in quotes if it is meant as text"
    elif kind == "list_type":
        msg = f"expected a list (`[a, b]` or one `- item` line each), not {got}"
    elif kind in ("bool_type", "bool_parsing"):
        msg = f"write `true` or `false`, not {got}"
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        msg = f"expected a mapping of `key: value` lines, not {got}"
    elif kind == "too_short":
        n = ctx.get("min_length", 1)
        msg = f"needs at least {n} entr{'y' if n == 1 else 'ies'}"
    elif kind == "too_long":
        n = ctx.get("max_length")
        msg = f"has more than {n} entries; keep at most {n}"
    elif kind == "string_too_short":
        msg = "must not be empty"
    return f"{where}: {msg}" if where else msg


def _kind_of(value: Any) -> str:
    if value is None:
        return "an empty value (null)"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, datetime.date):
        return f"the date {value}"
    return type(value).__name__


def _allowed_keys(loc: Sequence[Any]) -> list[str]:
    """The keys the model at an error location accepts (for "unknown key" messages)."""
    model: Any = DeckFile
    by_type = {
        "basic": BasicCard,
        "cloze": ClozeCard,
        "multiple_choice": MultipleChoiceCard,
        "typed": TypedCard,
        "numeric": NumericCard,
        "code": CodeCard,
    }
    for part in list(loc)[:-1]:
        if isinstance(part, int):
            continue
        if part in by_type:
            model = by_type[part]
        elif part == "source":
            model = Source
        elif part == "options":
            model = Option
        elif part == "cards":
            model = None
        else:
            return []
    if model is None:
        return []
    return list(model.model_fields)


Resolver = Callable[[str], bool]


def _read_text(path: Path) -> tuple[str | None, Problem | None]:
    """The file as text, or a problem that says where the bad bytes are and what to do."""
    try:
        if path.is_dir():
            return None, Problem(
                path, 1, "this is a folder named like a deck file; rename it (or move its decks up)"
            )
        if not path.is_file():  # a FIFO or /dev/zero would never finish reading
            return None, Problem(path, 1, "not a regular file; pass a .yaml deck file or a folder")
        data = path.read_bytes()
    except OSError as exc:
        return None, Problem(path, 1, f"cannot read deck file: {exc.strerror or exc}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Problem(path, 1, "the file is UTF-16 or UTF-32; save it as UTF-8")
    head = data[:8192]
    bomless = _utf16_without_bom(head)
    if bomless:
        return None, Problem(
            path, 1, f"the file is {bomless} without a byte-order mark; save it as UTF-8"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if b"\x00" in head:
            return None, Problem(path, 1, "this is a binary file, not a YAML deck file")
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, Problem(
            path,
            line,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at column {column}); "
            "save the file as UTF-8",
        )
    if head.count(b"\x00") > len(head) // 100:
        return None, Problem(path, 1, "this is a binary file, not a YAML deck file")
    return text, None


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16-LE or UTF-16-BE when NUL bytes alternate with text, as in UTF-16 Latin text."""
    even, odd = head[0::2], head[1::2]
    if len(head) < 4 or b"\x00" not in head:
        return None
    for name, zeros, text in (("UTF-16-LE", odd, even), ("UTF-16-BE", even, odd)):
        if zeros.count(0) >= 0.9 * len(zeros) and text.count(0) <= 0.1 * len(text):
            try:
                head[: len(head) // 2 * 2].decode(name.lower())
            except UnicodeDecodeError:
                continue
            return name
    return None


def _clamp_line(text: str, line: int) -> int:
    """A line that exists: an error at the end of a truncated file points at its last line."""
    last = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
    return min(max(line, 1), last)


def _too_deep(path: Path) -> Problem:
    return Problem(path, 1, "the file nests too deeply (or an alias refers to itself)")


def _pure_python_error(text: str) -> yaml.YAMLError | None:
    """The error PyYAML's pure-Python parser gives for `text`; None when it nests too deeply.

    libyaml (the C loader) grew its own nesting limit in PyYAML 6.0.4, with its own wording
    and line; the pure-Python parser has none. Re-parsing the (already failing) text with it
    gives the same problem on every release, and a file that fails only by depth (libyaml's
    limit, or Python's recursion limit here) is reported as nesting too deeply.
    """
    depth = 0
    for m in _BRACKETS.finditer(text):  # the pure-Python scanner is quadratic in flow depth
        depth += 1 if m.group() in "[{" else -1
        if depth > _DepthBoundLoader.MAX_DEPTH:
            return None
    try:
        yaml.compose(text, Loader=_DepthBoundLoader)
    except yaml.YAMLError as pure:
        return pure
    except (RecursionError, _TooDeep):
        return None
    return None


_BRACKETS = re.compile(r"[\[\]{}]")


class _TooDeep(Exception):
    """Raised by our own depth bound, below libyaml's and Python's limits."""


class _DepthBoundLoader(yaml.SafeLoader):
    """The pure-Python loader with a nesting bound, so a hostile file fails fast (not O(n²))."""

    MAX_DEPTH = 500
    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > self.MAX_DEPTH:
                raise _TooDeep
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _yaml_problem(path: Path, text: str, exc: yaml.YAMLError) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        return Problem(
            path, line, f"character U+{ord(char):04X} is not allowed in a YAML file; remove it"
        )
    if not isinstance(exc, yaml.MarkedYAMLError):
        return Problem(path, 1, f"YAML error: {exc}")
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    problem = str(exc.problem or exc)
    msg = f"YAML syntax error: {problem}"
    if exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
        msg += f" ({exc.context} started at line {exc.context_mark.line + 1})"
    if mark is not None:
        src = text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""
        if "\t" in src[: mark.column + 1] and "cannot start any token" in problem:
            msg += "; a tab is used for indentation here, YAML needs spaces"
    if "another document" in problem:
        msg += "; a deck file holds one YAML document: remove the `---` line or split the file"
    if "could not determine a constructor" in problem:
        msg += "; remove the tag (quote the value if it is meant as text)"
    if "end of stream" in problem:
        msg += "; the file may be cut short: check its end"
    return Problem(path, _clamp_line(text, line), msg)


def load_file(path: Path) -> tuple[DeckFile | None, dict[str, int], list[Problem]]:
    """Parse and validate one deck file; return the model (or None) and its problems."""
    model, card_lines, _, problems = _load_file(path)
    return model, card_lines, problems


def _load_file(path: Path) -> tuple[DeckFile | None, dict[str, int], list[int], list[Problem]]:
    """As `load_file`, plus the line of each card of the model, in order."""
    with _no_cycle_collector():
        return _parse_and_validate(path)


def _parse_and_validate(
    path: Path,
) -> tuple[DeckFile | None, dict[str, int], list[int], list[Problem]]:
    text, problem = _read_text(path)
    if text is None:
        return None, {}, [], [problem] if problem else []
    lines: dict[tuple[Any, ...], int] = {}
    try:
        node = yaml.compose(text, Loader=_LOADER_CLS)
        if node is None:
            return (
                None,
                {},
                [],
                [Problem(path, 1, "empty deck file; it needs deck, title and cards")],
            )
        data = _build(node, (), lines)
    except _DuplicateKey as exc:
        return None, {}, [], [Problem(path, exc.line, f"duplicate key `{exc.key}`; keep one")]
    except _BuildError as exc:
        return None, {}, [], [Problem(path, exc.line, exc.message)]
    except yaml.YAMLError:
        pure = _pure_python_error(text)
        if pure is not None:
            return None, {}, [], [_yaml_problem(path, text, pure)]
        return None, {}, [], [_too_deep(path)]
    except RecursionError:
        return None, {}, [], [_too_deep(path)]
    if not isinstance(data, dict):
        return (
            None,
            {},
            [],
            [Problem(path, 1, "a deck file is a mapping with deck, title and cards")],
        )
    problems: list[Problem] = []
    cards = data.get("cards")
    good_lines: list[int] = []
    deck: DeckFile | None
    try:
        # A file without problems (the usual case) is validated in one call; only a file
        # with problems is validated card by card below, for its messages.
        deck = DeckFile.model_validate(data)
    except ValidationError:
        deck = None
    if deck is not None:
        good_lines = [lines.get(("cards", i), 1) for i in range(len(deck.cards))]
    elif isinstance(cards, list):
        # Validate card by card so one bad card does not hide the rest of the file.
        good: list[Any] = []
        for i, raw in enumerate(cards):
            try:
                good.append(_CARD_ADAPTER().validate_python(raw))
                good_lines.append(lines.get(("cards", i), 1))
            except ValidationError as exc:
                cid = raw.get("id") if isinstance(raw, dict) else None
                for err in exc.errors():
                    tail = ("type",) if err["type"].startswith("union_tag") else ()
                    loc = ("cards", i, *err["loc"], *tail)
                    msg = _format_error({**err, "loc": loc}, cid if isinstance(cid, str) else None)
                    problems.append(Problem(path, _line_for(loc, lines), msg))
        if problems and not good:
            return None, {}, [], problems
        data = {**data, "cards": good}
    if deck is None:
        try:
            deck = DeckFile.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                msg = _format_error(dict(err))
                problems.append(Problem(path, _line_for(err["loc"], lines), msg))
            return None, {}, [], problems
    raw_ids = [c.get("id") if isinstance(c, dict) else None for c in (cards or [])]
    card_lines: dict[str, int] = {}
    for i, cid in enumerate(raw_ids):
        if isinstance(cid, str):
            card_lines.setdefault(cid, lines.get(("cards", i), 1))
    return deck, card_lines, good_lines, problems


_adapter: Any = None
_list_adapter: Any = None


def _CARD_ADAPTER() -> Any:
    global _adapter
    if _adapter is None:
        from pydantic import TypeAdapter

        _adapter = TypeAdapter(Card)
    return _adapter


def _CARDS_ADAPTER() -> Any:
    """Validates a whole list of cards in one call (the models of a cached deck)."""
    global _list_adapter
    if _list_adapter is None:
        from pydantic import TypeAdapter

        _list_adapter = TypeAdapter(list[Card])
    return _list_adapter


@functools.cache
def _code_key() -> str:
    """The loader's own version: quizapp's, plus this file's size and mtime, so a changed rule
    never serves a cached verdict."""
    from quizapp import __version__

    st = os.stat(__file__)
    return f"{__version__}:{st.st_size}:{st.st_mtime_ns}"


# What the cross-file checks need of one card: (index in the file, example kind of a numeric
# card, task of a code card, its `tasks:`); cards with none of these are not listed.
_Check = tuple[int, str | None, str | None, list[str]]


@dataclass
class _FileResult:
    """One file's own verdict: what `load_decks` needs without touching the cards' content."""

    meta: dict[str, Any] | None  # deck, title, description, order; None: the file failed
    ids: list[str]
    lines: list[int]  # the line of each card of `ids`
    checks: list[_Check]
    card_lines: dict[str, int]
    problems: list[Problem]
    models: list[Any] | None = None  # the cards' models, when they were just validated
    raw: list[dict[str, Any]] | Callable[[], list[dict[str, Any]]] | None = None
    types: list[str] = field(default_factory=list)  # each card's type, in `ids` order
    tags: list[list[str]] = field(default_factory=list)  # each card's tags, in `ids` order
    cache_key: str | None = None  # the per-file cache entry that holds these cards


def _result(path: Path, dump: bool) -> _FileResult:
    """Parse and validate `path`; with `dump`, also the cards' JSON (for the cache)."""
    model, card_lines, good_lines, problems = _load_file(path)
    if model is None:
        return _FileResult(None, [], [], [], card_lines, problems)
    checks: list[_Check] = []
    for i, card in enumerate(model.cards):
        example = card.example if isinstance(card, NumericCard) else None
        task = card.task if isinstance(card, CodeCard) else None
        if example is not None or task is not None or card.tasks:
            checks.append((i, example, task, list(card.tasks)))
    meta = {
        "deck": model.deck,
        "title": model.title,
        "description": model.description,
        "order": model.order,
    }
    raw = model.model_dump(mode="json", exclude_none=True)["cards"] if dump else None
    ids = [c.id for c in model.cards]
    types: list[str] = [c.type for c in model.cards]
    tags = [list(c.tags) for c in model.cards]
    return _FileResult(
        meta, ids, good_lines, checks, card_lines, problems, model.cards, raw, types, tags
    )


def _result_cached(path: Path, cache_dir: Path) -> _FileResult:
    """As `_result`, from the per-file cache (deck_cache.py) while the content is the same:
    a hit reads the entry's header only; the cards' JSON is decoded when asked for."""
    import json

    from quizapp import deck_cache

    key = deck_cache.entry_key(path, _code_key())
    if key is None:  # not a regular file: `_load_file` says what is wrong
        return _result(path, dump=False)
    hit = deck_cache.read_entry(path, cache_dir, key)
    if hit is not None:
        header, body = hit
        try:
            meta, ids, lines = header["meta"], header["ids"], header["lines"]
            card_lines, types, tags = header["card_lines"], header["types"], header["tags"]
            # The key holds the file's hash, so an entry that matches it was written by this
            # code: its shape is checked, not every value (that would cost a pass per card).
            shaped = (
                isinstance(ids, list)
                and isinstance(lines, list)
                and isinstance(card_lines, dict)
                and len(ids) == len(lines)
                and isinstance(types, list)
                and isinstance(tags, list)
                and len(types) == len(tags) == len(ids)
                and (meta is None or (isinstance(meta, dict) and "deck" in meta))
            )
            result = _FileResult(
                None if meta is None else dict(meta),
                ids,
                lines,
                [(int(i), e, t, list(ts)) for i, e, t, ts in header["checks"]],
                card_lines,
                [Problem(path, int(line), str(msg)) for line, msg in header["problems"]],
                types=types,
                tags=tags,
                cache_key=key,
            )
            if shaped:

                def decode() -> list[dict[str, Any]]:
                    try:
                        cards = json.loads(body)
                    except ValueError:
                        cards = None
                    if isinstance(cards, list) and len(cards) == len(result.ids):
                        return cards
                    again = _result(path, dump=True)  # a damaged body: parse the file again
                    if again.ids != result.ids or not isinstance(again.raw, list):
                        raise ValueError(f"{path} changed while it was being read; load again")
                    return again.raw

                result.raw = decode
                return result
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # a damaged or foreign entry: parse again
    result = _result(path, dump=True)
    header = {
        "meta": result.meta,
        "ids": result.ids,
        "lines": result.lines,
        "checks": result.checks,
        "card_lines": result.card_lines,
        "problems": [[p.line, p.message] for p in result.problems],
        "types": result.types,
        "tags": result.tags,
    }
    text = json.dumps(result.raw or [], ensure_ascii=False)
    if deck_cache.write_entry(path, cache_dir, key, header, text):
        result.cache_key = key
    return result


def _cross_problem(
    example: str | None,
    task: str | None,
    tasks: list[str],
    example_exists: Resolver | None,
    task_exists: Resolver | None,
) -> str | None:
    """Why a card that names an example kind or grading task is dropped, or None."""
    if example is not None and example_exists and not example_exists(example):
        return f"unknown example kind `{example}`; see `quizapp example --list`"
    if task is not None and task_exists and not task_exists(task):
        return f"unknown grading task `{task}`; see `quizapp tasks list`"
    unknown = [t for t in tasks if task_exists and not task_exists(t)]
    if unknown:
        return f"`tasks:` names unknown grading task `{unknown[0]}`; see `quizapp tasks list`"
    return None


def load_decks(
    paths: Sequence[Path] | None = None,
    cache_dir: Path | None = None,
    /,
    *,
    example_exists: Resolver | None = None,
    task_exists: Resolver | None = None,
) -> DeckSet:
    """Load every deck; cross-file checks (duplicate ids, deck ids, unknown generators/tasks).

    With `cache_dir`, each file's own parse and validation is reused while its content is
    unchanged (quizapp/deck_cache.py); the cross-file checks always run, over every file."""
    result = DeckSet()
    seen_cards: dict[str, tuple[Path, int]] = {}
    seen_decks: dict[str, Path] = {}
    for path in deck_paths(paths):
        if not path.exists():
            result.problems.append(Problem(path, 1, "no such file"))
            continue
        try:
            loaded = _result_cached(path, cache_dir) if cache_dir else _result(path, False)
        except Exception as exc:  # never let one file hide the others
            result.problems.append(Problem(path, 1, f"cannot load deck file: {exc!r}"))
            continue
        result.problems.extend(loaded.problems)
        meta = loaded.meta
        if meta is None:
            continue
        if meta["deck"] in seen_decks:
            result.problems.append(
                Problem(
                    path, 1, f"deck id `{meta['deck']}` is also used by {seen_decks[meta['deck']]}"
                )
            )
            continue
        seen_decks[meta["deck"]] = path
        ids = loaded.ids
        if not loaded.checks and len(set(ids)) == len(ids) and seen_cards.keys().isdisjoint(ids):
            # The usual file: no id seen before, nothing to resolve; one pass in C.
            where = zip(itertools.repeat(path, len(ids)), loaded.lines, strict=True)
            seen_cards.update(zip(ids, where, strict=True))
            result.decks.append(_deck(path, meta, loaded, range(len(ids))))
            continue
        checks = {c[0]: c for c in loaded.checks}
        kept: list[int] = []
        for i, (cid, line) in enumerate(zip(ids, loaded.lines, strict=True)):
            first = seen_cards.get(cid)
            if first is not None:
                result.problems.append(
                    Problem(
                        path, line, f"duplicate card id `{cid}` (first at {first[0]}:{first[1]})"
                    )
                )
                continue
            seen_cards[cid] = (path, line)
            check = checks.get(i)
            if check is not None:
                message = _cross_problem(check[1], check[2], check[3], example_exists, task_exists)
                if message is not None:
                    result.problems.append(Problem(path, line, message))
                    continue
            kept.append(i)
        result.decks.append(_deck(path, meta, loaded, kept))
    # Fundamentals first: `order` puts a beginner's first new cards in the core decks, files
    # of equal order keep their path order (sort is stable).
    result.decks.sort(key=lambda d: d.order)
    return result


def _deck(path: Path, meta: dict[str, Any], loaded: _FileResult, kept: Sequence[int]) -> Deck:
    everything = len(kept) == len(loaded.ids)
    models = loaded.models
    cards = None if models is None else models if everything else [models[i] for i in kept]
    raw = loaded.raw
    if raw is not None and not everything:
        source = raw

        def raw_kept() -> list[dict[str, Any]]:
            every = source() if callable(source) else source
            return [every[i] for i in kept]

        raw = raw_kept
    ids, types, tags = loaded.ids, loaded.types, loaded.tags
    if not everything:
        ids = [ids[i] for i in kept]
        types = [types[i] for i in kept] if types else []
        tags = [tags[i] for i in kept] if tags else []
    ref = None
    if loaded.cache_key is not None:
        ref = (loaded.cache_key, None if everything else list(kept))
    return Deck(
        str(meta["deck"]),
        str(meta["title"]),
        str(meta["description"]),
        path,
        cards,
        loaded.card_lines,
        int(meta["order"]),
        raw,
        ids,
        types,
        tags,
        ref,
    )


def default_resolvers() -> dict[str, Resolver]:
    """Checks against the real example registry and task catalog (imported lazily: NumPy)."""

    def example_exists(kind: str) -> bool:
        from solvers.examples import KINDS

        return kind in KINDS

    def task_exists(task_id: str) -> bool:
        from quizapp.grading.catalog import task_ids

        return task_id in task_ids()

    return {"example_exists": example_exists, "task_exists": task_exists}


def json_schema() -> dict[str, Any]:
    return DeckFile.model_json_schema()
