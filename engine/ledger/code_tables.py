"""The code tables (纠纷类型, 来源渠道, 案件来源, 处理结果) with the synonyms and abbreviations offices write.

Each entry is a ledger term (e.g. 婚姻家庭), the engine code it means when it has one (``marriage_family``),
its synonyms (婚姻纠纷, 婚恋 …) and whether it is retired. Version 0 of an entry is the packaged one
(``codes.SYNONYMS``); every saved edit stores a new version with who and when (``ledger_codes``), and the
newest version is the entry in use. A wording (term or synonym) means one entry of its table only.

The importer reads a ledger cell through ``CodeTables.term`` (a synonym becomes its term), and case intake
through ``normalise_intake`` (a typed 婚姻纠纷 becomes ``marriage_family``). ``nearest`` names the known terms
closest to an unknown wording, for the dry-run report.
"""

import difflib
import functools
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection

from engine.core import clock
from engine.core.errors import Conflict, InvalidData, NotFound
from engine.ledger import codes
from engine.store import ledger_codes as store

KINDS = tuple(codes.CODE_KINDS)  # dispute_type, channel, source, outcome
MAX_SYNONYMS = 50
MAX_WORDING = 50


@dataclass(frozen=True)
class Entry:
    kind: str
    term: str
    code: str | None
    synonyms: tuple[str, ...]
    retired: bool = False
    version: int = 0  # 0: as packaged
    changed_at: datetime | None = None
    changed_by: str | None = None
    note: str | None = None

    def as_dict(self) -> dict:
        return {"kind": self.kind, "term": self.term, "code": self.code, "synonyms": list(self.synonyms),
                "retired": self.retired, "version": self.version, "changed_at": self.changed_at,
                "changed_by": self.changed_by, "note": self.note}


def _entry(row) -> Entry:
    return Entry(row.kind, row.term, row.code, tuple(row.synonyms or ()), bool(row.retired), row.version,
                 row.changed_at, row.changed_by, row.note)


def key(wording: str) -> str:
    """A wording as compared: full-width folded (NFKC), spaces removed, Latin letters in lower case."""
    return "".join(unicodedata.normalize("NFKC", wording).split()).lower()


@dataclass
class CodeTables:
    """The entries in use of every table, with a lookup from each wording to its entry."""

    entries: dict[str, list[Entry]]
    _lookup: dict[str, dict[str, Entry]] = field(default_factory=dict)

    def __post_init__(self):
        for kind, entries in self.entries.items():
            words = self._lookup.setdefault(kind, {})
            for e in entries:
                if e.retired:
                    continue
                for w in (e.term, *e.synonyms):
                    words.setdefault(key(w), e)
            if kind == "dispute_type" or kind in ("channel", "source"):  # the engine's own codes too
                for e in entries:
                    if e.code and not e.retired:
                        words.setdefault(key(e.code), e)

    def entry(self, kind: str, wording: str | None) -> Entry | None:
        """The entry in use that ``wording`` (its term, a synonym or its engine code) names, or None."""
        if not isinstance(wording, str) or not wording.strip():
            return None
        return self._lookup.get(kind, {}).get(key(wording))

    def term(self, kind: str, wording: str | None) -> str | None:
        found = self.entry(kind, wording)
        return found.term if found else None

    def terms(self, kind: str) -> tuple[str, ...]:
        return tuple(e.term for e in self.entries.get(kind, ()) if not e.retired)

    def nearest(self, kind: str, wording: str, n: int = 3) -> list[str]:
        """Up to ``n`` terms in use closest to an unknown wording: one holding it or held by it first, then by
        likeness of the term or any synonym (difflib's ratio over characters)."""
        k = key(wording)
        bare = _bare(k)
        scores: dict[str, float] = {}
        for e in self.entries.get(kind, ()):
            if e.retired:
                continue
            for w in (e.term, *e.synonyms):
                kw = key(w)
                score = difflib.SequenceMatcher(None, bare, _bare(kw)).ratio()
                if kw and (kw in k or k in kw):
                    score += 1
                scores[e.term] = max(scores.get(e.term, 0.0), score)
        ranked = sorted((s, -i, t) for i, (t, s) in enumerate(scores.items()) if s >= 0.34)
        return [t for _, _, t in reversed(ranked)][:n]


def _bare(wording: str) -> str:
    """A wording without the words every entry shares (纠纷), for likeness."""
    return wording.replace("纠纷", "") or wording


def packaged() -> dict[str, list[Entry]]:
    return {kind: [Entry(kind, term, code, tuple(syn)) for term, code, syn in codes.packaged_entries(kind)]
            for kind in KINDS}


def load_packaged() -> CodeTables:
    """The tables as packaged (no database: the importer's default)."""
    return CodeTables(packaged())


def load(conn: Connection) -> CodeTables:
    """The tables in use: the packaged entries with each stored edit in place (new terms after them)."""
    tables = packaged()
    for row in store.newest(conn):
        if row.kind not in tables:
            continue
        entries = tables[row.kind]
        at = next((i for i, e in enumerate(entries) if e.term == row.term), None)
        if at is None:
            entries.append(_entry(row))
        else:
            entries[at] = _entry(row)
    return CodeTables(tables)


def tables_in_use(conn: Connection) -> list[dict]:
    """Every table in use: its kind, the ledger column it codes, its entries (``Entry.as_dict``)."""
    loaded = load(conn)
    return [{"kind": kind, "column": codes.CODE_KINDS[kind], "entries": [e.as_dict() for e in loaded.entries[kind]]}
            for kind in KINDS]


def history(conn: Connection, kind: str, term: str) -> list[Entry]:
    """Every version of an entry, newest first, down to the packaged one (version 0) when there is one."""
    _check_kind(kind)
    stored = [_entry(r) for r in store.versions(conn, kind, term)]
    base = next((e for e in packaged()[kind] if e.term == term), None)
    if not stored and base is None:
        raise NotFound(f"no entry {term!r} in the {kind} table")
    return stored + ([base] if base else [])


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise NotFound(f"no code table {kind!r}")


def _clean(words) -> list[str]:
    out, seen = [], set()
    for w in words:
        s = " ".join(str(w).split())
        if s and key(s) not in seen:
            seen.add(key(s))
            out.append(s)
    return out


def save(conn: Connection, kind: str, term: str, *, synonyms: list[str], retired: bool = False,
         expected_version: int | None, actor: str, note: str | None = None) -> Entry:
    """Store a new version of an entry (a new term when ``expected_version`` is None).

    Refused: a stale ``expected_version`` (someone saved in between: 409), a new term that exists, and a wording
    (the term or a synonym) that another entry in use of the table already has."""
    _check_kind(kind)
    term = " ".join(str(term).split())
    if not term:
        raise InvalidData("the term is empty", {"term": "required"})
    tables = load(conn)
    current = next((e for e in tables.entries[kind] if e.term == term), None)
    if expected_version is None and current is not None:
        err = InvalidData(f"the {kind} table already has {term!r}", {"term": "the table already has this term"})
        err.kinds = {"term": "code_term_exists"}
        raise err
    if expected_version is not None and current is None:
        raise NotFound(f"no entry {term!r} in the {kind} table")
    if current is not None and current.version != expected_version:
        raise Conflict(f"{kind} {term!r} was changed (now version {current.version}); reload and edit again")
    words = [w for w in _clean(synonyms) if key(w) != key(term)]
    problems = {}
    if len(term) > MAX_WORDING:
        problems["term"] = f"at most {MAX_WORDING} characters"
    if len(words) > MAX_SYNONYMS:
        problems["synonyms"] = f"at most {MAX_SYNONYMS} synonyms"
    problems |= {f"synonyms.{i}": f"at most {MAX_WORDING} characters" for i, w in enumerate(words)
                 if len(w) > MAX_WORDING}
    for i, w in enumerate([term, *words]):
        holder = tables.entry(kind, w)
        if holder is not None and holder.term != term:
            where = "term" if i == 0 else f"synonyms.{i - 1}"
            problems[where] = f'"{w}" is already a wording of "{holder.term}"'
    if problems:
        raise InvalidData(f"a wording already belongs to another entry: {next(iter(problems.values()))}", problems)
    base = current or Entry(kind, term, None, ())
    row = store.insert(conn, kind=kind, term=term, code=base.code, synonyms=words, retired=retired,
                       version=base.version + 1, at=clock.now(), actor=actor, note=note)
    if row is None:
        raise Conflict(f"{kind} {term!r} was changed at the same time; reload and edit again")
    return _entry(row)


def add_synonym(conn: Connection, kind: str, term: str, wording: str, *, actor: str) -> Entry:
    """One more synonym of an entry (the dry-run report's 加为同义词)."""
    current = next((e for e in load(conn).entries.get(kind, ()) if e.term == term), None) if kind in KINDS else None
    if current is None:
        _check_kind(kind)
        raise NotFound(f"no entry {term!r} in the {kind} table")
    return save(conn, kind, term, synonyms=[*current.synonyms, wording], retired=current.retired,
                expected_version=current.version, actor=actor, note=f"加为同义词：{wording}")


@functools.cache
def _engine_codes(kind: str) -> frozenset[str]:
    """The engine codes of a table (fixed: an edit changes an entry's wording, never its code)."""
    return frozenset(e.code for e in packaged()[kind] if e.code)


def normalise_intake(conn: Connection, data: dict) -> dict:
    """Case data with a typed dispute type, channel or source (a ledger term or a synonym) as the engine's code;
    values the tables do not know stay as they are (the form then names them)."""
    changed = {}
    tables = None
    for kind in ("dispute_type", "channel", "source"):
        value = data.get(kind)
        if not isinstance(value, str) or not value or value in _engine_codes(kind):
            continue  # already the engine's code (what the intake form sends): no table read
        tables = tables or load(conn)
        found = tables.entry(kind, value)
        if found is not None and found.code and found.code != value:
            changed[kind] = found.code
    return {**data, **changed} if changed else data


