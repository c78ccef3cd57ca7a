"""Safe XML parsing: no DTDs, no entities, no XInclude, no network, bounded sizes."""

from __future__ import annotations

from lxml import etree

from engine.core.errors import Problem

from ._common import XINCLUDE_NS, local, ns, owner_id, problem, short

MAX_ATTRIBUTE_CHARS = 10_000
MAX_TEXT_CHARS = 200_000

_DOCTYPE_MARKERS = tuple(
    "<!DOCTYPE".encode(enc) for enc in ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)


def _parser() -> etree.XMLParser:
    # A new parser per document: lxml parsers are not thread-safe.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
        remove_pis=False,
        collect_ids=False,
    )


def parse_xml(filename: str, data: bytes) -> tuple[object | None, list[Problem]]:
    """Parse ``data``; return (root, []) or (None, [problem])."""
    if any(marker in data for marker in _DOCTYPE_MARKERS):
        return None, [Problem("DOCTYPE is not allowed", file=filename, line=_line_of(data, b"<!DOCTYPE"))]
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as err:
        msg = (err.msg or str(err)).strip()
        return None, [Problem(f"malformed XML: {msg}", file=filename, line=err.lineno or None)]
    except (ValueError, MemoryError, RecursionError) as err:
        return None, [Problem(f"malformed XML: {err}", file=filename, line=None, element="document")]
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        # Second guard for encodings the byte scan above does not cover.
        return None, [Problem("DOCTYPE is not allowed", file=filename, line=1)]
    problems = _hostile_content(filename, root)
    return (None if problems else root), problems


def _hostile_content(filename: str, root) -> list[Problem]:
    """Refuse XInclude, entity references and oversized attributes/text."""
    problems: list[Problem] = []
    for el in root.iter():
        if el.tag is etree.Entity:
            problems.append(
                problem("entity references are not allowed", filename, el, owner_id(el.getparent()))
            )
            continue
        if not isinstance(el.tag, str):
            continue
        if ns(el) in XINCLUDE_NS:
            problems.append(problem("XInclude is not allowed", filename, el, f"xi:{local(el)}"))
            continue
        for name, value in el.attrib.items():
            if len(value) > MAX_ATTRIBUTE_CHARS:
                problems.append(
                    problem(
                        f"attribute {short(etree.QName(name).localname)} is too long "
                        f"({len(value)} characters, limit {MAX_ATTRIBUTE_CHARS})",
                        filename,
                        el,
                    )
                )
        for text in (el.text, el.tail):
            if text is not None and len(text) > MAX_TEXT_CHARS:
                problems.append(
                    problem(
                        f"text is too long ({len(text)} characters, limit {MAX_TEXT_CHARS})",
                        filename,
                        el,
                    )
                )
        if len(problems) > 20:
            break
    return problems


def _line_of(data: bytes, marker: bytes) -> int | None:
    pos = data.find(marker)
    return data.count(b"\n", 0, pos) + 1 if pos >= 0 else None
