"""Anki packages: export quizapp decks as an .apkg (genanki), import .apkg/.colpkg notes.

Export maps every card type onto a note type of our own (fixed model ids below, so a second
export reuses them) with the explanation, the source and the quizapp card id as fields:
basic → "quizapp Basic"; cloze → "quizapp Cloze" with every gap renumbered `c1` (quizapp
hides all gaps of a card together, and so does one Anki cloze card); typed → "quizapp Typed"
with `{{type:Answer}}`; multiple choice → Basic with the lettered options on the front and
each option's verdict and "why" on the back; numeric → Basic with one fixed instance (seed
shown) and its worked solution; code → Basic with the task statement and the reference
solution. Note GUIDs come from card ids, so re-importing an export updates the notes.
`with_scheduling` writes each card's FSRS state (Anki's `data` field: stability `s`,
difficulty `d`) and the review log into the package.

Import reads the package's SQLite collection with the standard library: `collection.anki21b`
(zstd, schema 18, read with `zstandard`) when present, else `collection.anki21`, else
`collection.anki2`.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quizapp.decks import (
    CLOZE_RE,
    BasicCard,
    ChainCard,
    ClozeCard,
    CodeCard,
    MultipleChoiceCard,
    NumericCard,
    Problem,
    TypedCard,
)
from quizapp.interop.markup import html_to_markdown, markdown_to_html
from quizapp.interop.records import ImportedDeck, ImportResult, ReviewRecord
from quizapp.store import LEARNING, NEW, RELEARNING, REVIEW, CardRow, LogRow

# Never change these: Anki matches note types by id on import.
MODEL_IDS = {"basic": 1_731_500_001, "cloze": 1_731_500_002, "typed": 1_731_500_003}
ROOT_DECK = "quizapp"
DECK_ID_BASE = 1_731_600_000_000
_CSS = """.card { font-family: sans-serif; font-size: 18px; text-align: left; }
.explanation { margin-top: 1em; color: #555; }
.source { margin-top: .5em; font-size: 12px; color: #888; }
.choices li { list-style: none; }
pre { background: #f4f4f4; padding: .5em; }"""
_TAIL = (
    '{{#Explanation}}<div class="explanation">{{Explanation}}</div>{{/Explanation}}'
    '<div class="source">{{Source}}</div>'
)
OPTION_KEYS = "abcdef"
# genanki's collection was created at this time (its `col.crt`); review due days count from it.
GENANKI_CRT = 1411124400


@dataclass(frozen=True)
class DeckData:
    """One quizapp deck, as the exporter needs it (from the catalog, never from the store)."""

    id: str
    title: str
    cards: Sequence[Any]


def _gap_c1(text: str) -> str:
    """Every gap as c1: one Anki card hiding all gaps, as quizapp shows a cloze card."""
    return CLOZE_RE.sub(
        lambda m: "{{c1::" + m.group(2) + (f"::{m.group(3)}" if m.group(3) else "") + "}}", text
    )


def note_fields(card: Any) -> tuple[str, list[str]]:
    """(model key, field values as HTML) for one card; the last field is the quizapp id."""
    from quizapp.cardtext import face, numeric_seed

    source = card.source.label()
    expl = markdown_to_html(card.explanation)
    if isinstance(card, ClozeCard):
        gaps = card.gaps()
        extra = ""
        if any("|" in g for g in gaps):
            extra = "Also accepted: " + "; ".join(g.replace("|", " / ") for g in gaps)
        return "cloze", [markdown_to_html(_gap_c1(card.text)), extra, expl, source, card.id]
    if isinstance(card, TypedCard):
        also = ", ".join(card.accept[1:])
        plain = card.accept[0]
        import html as _html

        return "typed", [
            markdown_to_html(card.prompt),
            _html.escape(plain),
            also,
            expl,
            source,
            card.id,
        ]
    if isinstance(card, MultipleChoiceCard):
        hint = "choose all that apply" if card.multiple else "choose one"
        items = "".join(
            f"<li><b>{OPTION_KEYS[i]})</b> {markdown_to_html(o.text)}</li>"
            for i, o in enumerate(card.options)
        )
        front = (
            f'{markdown_to_html(card.prompt)}<p><i>({hint})</i></p><ul class="choices">{items}</ul>'
        )
        back_items = "".join(
            f"<li>{'✔' if o.correct else '✘'} <b>{OPTION_KEYS[i]})</b> "
            f"{markdown_to_html(o.text)}{' — ' + markdown_to_html(o.why) if o.why else ''}</li>"
            for i, o in enumerate(card.options)
        )
        return "basic", [front, f'<ul class="choices">{back_items}</ul>', expl, source, card.id]
    if isinstance(card, NumericCard):
        f = face(card, seed=numeric_seed(card.id, 0))
        return "basic", [markdown_to_html(f.front), markdown_to_html(f.back), expl, source, card.id]
    if isinstance(card, CodeCard):
        from quizapp.grading.catalog import get_task

        task = get_task(card.task)
        lead = f"{card.prompt}\n\n" if card.prompt else ""
        front = markdown_to_html(
            f"{lead}**Coding task `{task.id}`** — {task.title}\n\n{task.statement}"
        )
        back = markdown_to_html(f"Reference solution:\n\n```python\n{task.solution.rstrip()}\n```")
        return "basic", [front, back, expl, source, card.id]
    if isinstance(card, ChainCard):
        # Anki shows one back side: the opening answer and every follow-up with its answer, in
        # order (quizapp reveals them one at a time).
        f = face(card)
        n = len(card.followups)
        front = markdown_to_html(
            f"{card.prompt}\n\n*(then {n} follow-up{'s' if n != 1 else ''} — answer each aloud)*"
        )
        return "basic", [front, markdown_to_html(f.back), expl, source, card.id]
    assert isinstance(card, BasicCard)
    return "basic", [
        markdown_to_html(card.prompt),
        markdown_to_html(card.answer),
        expl,
        source,
        card.id,
    ]


def _models() -> dict[str, Any]:
    import genanki  # 340-590 ms measured (chevron, frozendict...): only when exporting

    tail_fields = [{"name": "Explanation"}, {"name": "Source"}, {"name": "QuizappId"}]
    return {
        "basic": genanki.Model(
            MODEL_IDS["basic"],
            "quizapp Basic",
            fields=[{"name": "Front"}, {"name": "Back"}, *tail_fields],
            templates=[
                {
                    "name": "Card 1",
                    "qfmt": "{{Front}}",
                    "afmt": '{{FrontSide}}<hr id="answer">{{Back}}' + _TAIL,
                }
            ],
            css=_CSS,
        ),
        "cloze": genanki.Model(
            MODEL_IDS["cloze"],
            "quizapp Cloze",
            fields=[{"name": "Text"}, {"name": "Back Extra"}, *tail_fields],
            templates=[
                {
                    "name": "Cloze",
                    "qfmt": "{{cloze:Text}}",
                    "afmt": "{{cloze:Text}}<br>{{Back Extra}}" + _TAIL,
                }
            ],
            css=_CSS,
            model_type=genanki.Model.CLOZE,
        ),
        "typed": genanki.Model(
            MODEL_IDS["typed"],
            "quizapp Typed",
            fields=[{"name": "Front"}, {"name": "Answer"}, {"name": "Also"}, *tail_fields],
            templates=[
                {
                    "name": "Card 1",
                    "qfmt": "{{Front}}<br>{{type:Answer}}",
                    "afmt": '{{Front}}<hr id="answer">{{type:Answer}}'
                    "{{#Also}}<div>also accepted: {{Also}}</div>{{/Also}}" + _TAIL,
                }
            ],
            css=_CSS,
        ),
    }


def deck_anki_id(deck_id: str) -> int:
    return DECK_ID_BASE + int(hashlib.sha256(deck_id.encode()).hexdigest()[:8], 16) % 10**9


def anki_tag(tag: str) -> str:
    return re.sub(r"\s+", "_", tag.strip())


def write_apkg(
    decks: Sequence[DeckData],
    out: Path,
    *,
    states: Mapping[str, CardRow] | None = None,
    logs: Sequence[LogRow] | None = None,
    now_ms: int | None = None,
) -> dict[str, int]:
    """Write the package; with `states`/`logs`, the scheduling too. Returns notes per deck."""
    import genanki

    models = _models()
    gdecks = []
    counts: dict[str, int] = {}
    for deck in decks:
        name = f"{ROOT_DECK}::{deck.title.replace('::', ':')}"
        gdeck = genanki.Deck(deck_anki_id(deck.id), name)
        for card in deck.cards:
            key, fields = note_fields(card)
            gdeck.add_note(
                genanki.Note(
                    model=models[key],
                    fields=fields,
                    tags=[anki_tag(t) for t in card.tags if t.strip()],
                    guid=genanki.guid_for("quizapp", card.id),
                )
            )
        counts[deck.id] = len(deck.cards)
        gdecks.append(gdeck)
    package = genanki.Package(gdecks)
    import itertools
    import time

    stamp = (now_ms / 1000) if now_ms is not None else time.time()
    with tempfile.TemporaryDirectory(prefix="quizapp-apkg-") as tmp:
        db = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(db)
        try:
            package.write_to_db(conn.cursor(), stamp, itertools.count(int(stamp * 1000)))
            if states is not None or logs is not None:
                _write_scheduling(conn, states or {}, logs or [])
            conn.commit()
        finally:
            conn.close()
        partial = out.with_name(f".{out.name}.partial")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.write(db, "collection.anki2")
            zf.writestr("media", "{}")
        partial.replace(out)
    return counts


def _write_scheduling(
    conn: sqlite3.Connection, states: Mapping[str, CardRow], logs: Sequence[LogRow]
) -> None:
    """Cards' FSRS state and the review log, in Anki's schema-11 columns."""
    cid_of: dict[str, int] = {}
    for cid, flds in conn.execute(
        "SELECT c.id, n.flds FROM cards c JOIN notes n ON n.id = c.nid"
    ).fetchall():
        cid_of[flds.split("\x1f")[-1]] = cid
    for qid, row in states.items():
        cid = cid_of.get(qid)
        if cid is None or row.state == NEW:
            if cid is not None and row.suspended:
                conn.execute("UPDATE cards SET queue = -1 WHERE id = ?", (cid,))
            continue
        due_s = (row.due or 0) // 1000
        last_s = (row.last_review or row.due or 0) // 1000
        if row.state == REVIEW:
            queue, due = 2, max(0, (due_s - GENANKI_CRT) // 86400)
            ivl = max(1, round((due_s - last_s) / 86400))
        else:  # (re)learning: due is a Unix time in seconds, `left` = steps to go
            queue, due, ivl = 1, due_s, 0
        if row.suspended:
            queue = -1
        data: dict[str, Any] = {}
        if row.stability is not None and row.difficulty is not None:
            data = {"s": round(row.stability, 4), "d": round(row.difficulty, 3)}
            if row.last_review:
                data["lrt"] = row.last_review // 1000
        conn.execute(
            "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = 2500, reps = ?, "
            "lapses = ?, left = ?, data = ? WHERE id = ?",
            (
                row.state,
                queue,
                due,
                ivl,
                row.reps,
                row.lapses,
                1 if row.state in (LEARNING, RELEARNING) else 0,
                json.dumps(data),
                cid,
            ),
        )
    used: set[int] = set()
    for log in sorted(logs, key=lambda lg: (lg.reviewed_at, lg.id)):
        cid = cid_of.get(log.card_id)
        if cid is None:
            continue
        rid = log.reviewed_at
        while rid in used:  # revlog ids are the review time in ms and must be unique
            rid += 1
        used.add(rid)
        kind = {NEW: 0, LEARNING: 0, REVIEW: 1, RELEARNING: 2}[log.state_before.state]
        conn.execute(
            "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
            "VALUES (?, ?, -1, ?, ?, ?, 2500, ?, ?)",
            (
                rid,
                cid,
                log.rating,
                _ivl(log.state_after),
                _ivl(log.state_before),
                min(log.duration_ms or 0, 60_000),
                kind,
            ),
        )


def _ivl(row: CardRow) -> int:
    """Anki's revlog interval: days when positive, seconds when negative (learning)."""
    if row.due is None or row.last_review is None:
        return 0
    secs = (row.due - row.last_review) / 1000
    return max(1, round(secs / 86400)) if row.state == REVIEW else -max(1, round(secs))


# ====================================================================== import

_FIELD_SEP = "\x1f"


@dataclass(frozen=True)
class _NoteType:
    name: str
    cloze: bool
    fields: tuple[str, ...]
    qfmt: str


def _pb_fields(blob: bytes) -> Iterator[tuple[int, int, Any]]:
    """(field number, wire type, value) of a protobuf message; enough for notetype configs."""
    i, n = 0, len(blob)

    def varint() -> int:
        nonlocal i
        shift = result = 0
        while i < n:
            b = blob[i]
            i += 1
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7
            if shift > 63:
                break
        raise ValueError("bad varint")

    while i < n:
        key = varint()
        num, wire = key >> 3, key & 7
        if wire == 0:
            yield num, wire, varint()
        elif wire == 2:
            size = varint()
            yield num, wire, blob[i : i + size]
            i += size
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        else:
            raise ValueError("bad wire type")


def _note_types(conn: sqlite3.Connection) -> dict[int, _NoteType]:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    out: dict[int, _NoteType] = {}
    if "notetypes" in tables:  # schema 18
        for ntid, name, config in conn.execute("SELECT id, name, config FROM notetypes"):
            kind = next((v for k, w, v in _pb_fields(config or b"") if k == 1 and w == 0), 0)
            fields = tuple(
                r[0]
                for r in conn.execute(
                    "SELECT name FROM fields WHERE ntid = ? ORDER BY ord", (ntid,)
                )
            )
            qfmt = ""
            row = conn.execute(
                "SELECT config FROM templates WHERE ntid = ? ORDER BY ord LIMIT 1", (ntid,)
            ).fetchone()
            if row:
                qfmt = next(
                    (
                        v.decode("utf-8", "replace")
                        for k, w, v in _pb_fields(row[0] or b"")
                        if k == 1 and w == 2
                    ),
                    "",
                )
            out[int(ntid)] = _NoteType(str(name), kind == 1, fields, qfmt)
        return out
    (models_json,) = conn.execute("SELECT models FROM col").fetchone()
    for mid, m in json.loads(models_json or "{}").items():
        flds = sorted(m.get("flds", []), key=lambda f: f.get("ord", 0))
        tmpls = sorted(m.get("tmpls", []), key=lambda t: t.get("ord", 0))
        out[int(mid)] = _NoteType(
            str(m.get("name", "")),
            m.get("type") == 1,
            tuple(str(f.get("name", "")) for f in flds),
            str(tmpls[0].get("qfmt", "")) if tmpls else "",
        )
    return out


def _deck_names(conn: sqlite3.Connection) -> dict[int, str]:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "decks" in tables:
        return {
            int(i): str(n).replace("\x1f", "::")
            for i, n in conn.execute("SELECT id, name FROM decks")
        }
    (decks_json,) = conn.execute("SELECT decks FROM col").fetchone()
    return {int(i): str(d.get("name", "")) for i, d in json.loads(decks_json or "{}").items()}


def _collection_bytes(zf: zipfile.ZipFile, src: Path) -> bytes:
    from quizapp.interop.untrusted import MAX_MEMBER_BYTES, Unreadable, read_member

    names = set(zf.namelist())
    if "collection.anki21b" in names:
        raw = read_member(zf, src, "collection.anki21b")
        try:
            import zstandard  # 13-130 ms measured; only zstd packages (newer Anki) need it
        except ModuleNotFoundError:
            raise Unreadable(
                Problem(
                    src,
                    1,
                    "this package is zstd-compressed (newer Anki); "
                    "install quizapp[anki] for the zstandard module",
                )
            ) from None
        out = bytearray()
        try:
            with zstandard.ZstdDecompressor().stream_reader(raw) as reader:
                while chunk := reader.read(1 << 20):
                    out += chunk
                    if len(out) > MAX_MEMBER_BYTES:
                        raise Unreadable(
                            Problem(
                                src,
                                1,
                                "collection.anki21b inflates beyond the size limit "
                                "(a zip bomb?); refusing the package",
                            )
                        )
        except zstandard.ZstdError as exc:
            raise Unreadable(Problem(src, 1, f"collection.anki21b is damaged: {exc}")) from None
        return bytes(out)
    for name in ("collection.anki21", "collection.anki2"):
        if name in names:
            return read_member(zf, src, name)
    raise Unreadable(
        Problem(src, 1, "no collection.anki2/anki21/anki21b inside; is this an Anki package?")
    )


# SQLite's own work on one collection (a backstop: views, the one way a small file yields
# rows without end, are refused before any query).
MAX_READ_SECONDS = 120


def read_apkg(src: Path, deck_id: str | None, with_history: bool) -> ImportResult:
    """Notes of an Anki package as quizapp decks; raises Unreadable for a bad package."""
    from quizapp.interop.untrusted import Unreadable, open_zip

    with open_zip(src) as zf:
        data = _collection_bytes(zf, src)
    if not data.startswith(b"SQLite format 3\x00"):
        raise Unreadable(Problem(src, 1, "the collection inside is not an SQLite database"))
    with tempfile.TemporaryDirectory(prefix="quizapp-import-") as tmp:
        db = Path(tmp) / "collection.sqlite"
        db.write_bytes(data)
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            try:
                _refuse_views(conn, src)
                deadline = time.monotonic() + MAX_READ_SECONDS
                conn.set_progress_handler(lambda: time.monotonic() > deadline, 100_000)
                return _read_collection(conn, src, deck_id, with_history)
            finally:
                conn.close()
        except sqlite3.OperationalError as exc:
            if "interrupted" not in str(exc):
                raise Unreadable(
                    Problem(src, 1, f"the collection inside cannot be read: {exc}")
                ) from None
            raise Unreadable(
                Problem(src, 1, f"reading the collection took over {MAX_READ_SECONDS} s; refused")
            ) from None
        except sqlite3.DatabaseError as exc:
            raise Unreadable(
                Problem(src, 1, f"the collection inside cannot be read: {exc}")
            ) from None
        except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
            raise Unreadable(
                Problem(src, 1, f"the collection inside is malformed: {exc}")
            ) from None
        except (RecursionError, OverflowError) as exc:  # JSON nested 10⁵ deep, an id of 1e400
            raise Unreadable(
                Problem(src, 1, f"the collection inside is malformed ({type(exc).__name__})")
            ) from None


def _refuse_views(conn: sqlite3.Connection, src: Path) -> None:
    """An Anki collection is plain tables; a view (a recursive one yields rows without end)
    would make the import hang."""
    from quizapp.interop.untrusted import Unreadable

    views = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'")]
    if views:
        raise Unreadable(
            Problem(
                src,
                1,
                f"the collection has views ({', '.join(repr(v[:40]) for v in views[:3])}); "
                "an Anki collection has none — refusing it",
            )
        )


def _read_collection(
    conn: sqlite3.Connection, src: Path, deck_id: str | None, with_history: bool
) -> ImportResult:
    from quizapp.interop.importing import card_id, explanation_or_default, slug

    note_types = _note_types(conn)
    deck_names = _deck_names(conn)
    result = ImportResult()
    decks: dict[str, ImportedDeck] = {}
    anki_to_ours: dict[int, str] = {}  # Anki card id -> quizapp card id
    first_deck: dict[int, int] = {}
    ords: dict[int, dict[int, int]] = {}  # note id -> {ord: anki card id}
    for cid, nid, did, ord_ in conn.execute("SELECT id, nid, did, ord FROM cards ORDER BY id"):
        first_deck.setdefault(nid, did)
        ords.setdefault(nid, {})[ord_] = cid
    for nid, guid, mid, tags, flds in conn.execute(
        "SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"
    ):
        where = f"note {nid}"
        nt = note_types.get(int(mid))
        if nt is None:
            result.problems.append(Problem(src, 1, f"{where}: unknown note type {mid}; skipped"))
            continue
        values = str(flds).split(_FIELD_SEP)
        by_name = dict(zip(nt.fields, values, strict=False))
        anki_deck = deck_names.get(first_deck.get(nid, 0), "Default")
        did_ours = deck_id or slug(anki_deck.split("::")[-1])
        deck = decks.get(did_ours)
        if deck is None:
            deck = decks[did_ours] = ImportedDeck(
                did_ours,
                anki_deck.split("::")[-1] or did_ours,
                f"Imported from {src.name} ({anki_deck})",
            )
        tag_list = [t for t in str(tags).split() if t]
        extra = by_name.get("Explanation") or by_name.get("Back Extra") or by_name.get("Extra")
        expl = explanation_or_default(html_to_markdown(extra or ""), src)
        source = {"beyond": f"imported from {src.name} ({nt.name} note {nid})"}
        made = _cards_of_note(nt, values, by_name)
        if not made:
            result.problems.append(
                Problem(src, 1, f"{where} ({nt.name}): empty question or answer; skipped")
            )
            continue
        for sub, raw, anki_ord in made:
            qid = card_id(did_ours, f"{guid}{sub}")
            deck.cards.append(
                (1, {"id": qid, **raw, "tags": tag_list, "explanation": expl, "source": source})
            )
            if anki_ord in ords.get(nid, {}):
                anki_to_ours[ords[nid][anki_ord]] = qid
    result.decks = list(decks.values())
    if with_history:
        result.reviews = _reviews(conn, anki_to_ours)
    return result


def _cards_of_note(
    nt: _NoteType, values: list[str], by_name: dict[str, str]
) -> list[tuple[str, dict[str, Any], int]]:
    """(id suffix, card fields, Anki card ord) for each quizapp card a note becomes."""
    if nt.cloze:
        text = html_to_markdown(by_name.get("Text", values[0] if values else ""))
        numbers = sorted({int(m.group(1)) for m in CLOZE_RE.finditer(text)})
        out = []
        for n in numbers:

            def keep(m: re.Match[str], n: int = n) -> str:
                if int(m.group(1)) != n:
                    return m.group(2)
                return "{{c1::" + m.group(2) + (f"::{m.group(3)}" if m.group(3) else "") + "}}"

            suffix = "" if len(numbers) == 1 else f":c{n}"
            out.append((suffix, {"type": "cloze", "text": CLOZE_RE.sub(keep, text)}, n - 1))
        return out
    typed = re.search(r"\{\{type:(?:[^:}]+:)?([^}]+)\}\}", nt.qfmt)
    names = list(nt.fields)
    if typed and typed.group(1).strip() in by_name:
        answer_field = typed.group(1).strip()
        prompt_field = next((n for n in names if n != answer_field), None)
        prompt = html_to_markdown(by_name.get(prompt_field or "", ""))
        accept = html_to_markdown(by_name[answer_field]).replace("**", "").strip()
        also = [
            a.strip() for a in html_to_markdown(by_name.get("Also", "")).split(",") if a.strip()
        ]
        if not prompt or not accept:
            return []
        return [("", {"type": "typed", "prompt": prompt, "accept": [accept, *also]}, 0)]
    front = html_to_markdown(values[0]) if values else ""
    back = html_to_markdown(values[1]) if len(values) > 1 else ""
    if not front or not back:
        return []
    return [("", {"type": "basic", "prompt": front, "answer": back}, 0)]


def _reviews(conn: sqlite3.Connection, anki_to_ours: dict[int, str]) -> list[ReviewRecord]:
    out: list[ReviewRecord] = []
    seen: set[int] = set()
    for rid, cid, ease, time_ms, kind in conn.execute(
        "SELECT id, cid, ease, time, type FROM revlog ORDER BY id"
    ):
        qid = anki_to_ours.get(cid)
        if qid is None or not 1 <= ease <= 4 or kind not in (0, 1, 2, 3):
            continue  # manual reschedules (ease 0) are not reviews
        state = {0: LEARNING, 1: REVIEW, 2: RELEARNING, 3: REVIEW}[kind]
        if kind == 0 and cid not in seen:
            state = NEW
        seen.add(cid)
        out.append(ReviewRecord(qid, int(rid), int(ease), state, int(time_ms) or None))
    return out
