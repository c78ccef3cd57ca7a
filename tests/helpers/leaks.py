"""Language leaks on a page: English words on a Chinese page, raw codes (snake_case, known code values) on any.

Identifiers a page shows on purpose as identifiers (a process key, a template kind) are set in ``<code>`` and
not counted; usernames are passed as ``allowed``.

``english_words(text)`` and ``raw_codes(text)`` are pure, so API tests can check a message too;
``page_leaks(page, lang)`` reads what a user sees (the body's rendered text, plus the tooltips, placeholders and
accessible names of visible controls) and returns the leaks, each with the words around it.
"""

import re

# Words allowed on a Chinese page: product and format names, units the office writes in Latin letters.
ALLOWED_WORDS = {
    "BPMN", "DMN", "PDF", "DOCX", "XLSX", "Excel", "CSV", "JPEG", "JPG", "PNG", "HTML", "UTF", "JSON", "XML", "SLA", "ID",
    "ISO", "P30D", "PT48H", "tiaojie", "ECharts", "SMTP", "PIPL", "OK", "URL", "API", "CSRF", "x", "X", "H", "M",
    "GB", "EMS", "QR", "AM", "PM", "KB", "MB",
    "Word", "Markdown",  # document formats the report downloads in
    "English",  # the language switch names the language it switches to
}
# Phrases that stay as they are: the bpmn.io watermark its licence requires on every diagram.
ALLOWED_PHRASES = ("Powered by bpmn.io",)
# Code values that read like words but must never be shown as they are (labels exist for them).
KNOWN_CODES = {
    "yellow", "orange", "neighbourhood", "marriage_family", "service_hall", "natural_person", "resident_id",
    "attachment_added", "task_completed", "task_created", "case_started", "people_mediation", "dispute_case",
    "invalid_data", "not_found",
}
_LATIN = re.compile(r"(?<![A-Za-z0-9_@./-])[A-Za-z][A-Za-z0-9_'-]*")
_SNAKE = re.compile(r"(?<![A-Za-z0-9])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![A-Za-z0-9])")
_URLISH = re.compile(r"\S+@\S+|https?://\S+|/[\w/.-]+|[\w.-]*\.(?:pdf|docx|xlsx|png|jpg|jpeg|bpmn|dmn|json|html)\b")


def english_words(text: str, allowed: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Latin-letter words on a page that should be all Chinese (usernames and codes with digits, file names,
    paths and the allowed product names pass)."""
    for phrase in ALLOWED_PHRASES:
        text = text.replace(phrase, " ")
    text = _URLISH.sub(" ", text)
    found = []
    for word in _LATIN.findall(text):
        word = word.strip("'-")
        if not word or word in ALLOWED_WORDS or word in allowed or any(c.isdigit() for c in word):
            continue
        if len(word) == 1:
            continue
        found.append(word)
    return found


def raw_codes(text: str, allowed: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """snake_case words and known code values (lower case, whole words) in a page's text."""
    text = _URLISH.sub(" ", text)
    found = [w for w in _SNAKE.findall(text) if w not in allowed]
    found += [w for w in re.findall(r"(?<![A-Za-z0-9_])[a-z]+(?![A-Za-z0-9_])", text)
              if w in KNOWN_CODES and w not in allowed]
    return found


# What a user reads, less identifiers the page shows on purpose as such, in <code> (a process key, a template kind).
_VISIBLE_TEXT = """() => {
  let body = document.body.innerText;
  for (const node of document.querySelectorAll('code, kbd, [translate="no"]')) {
    const text = node.innerText;
    if (text) body = body.replace(text, ' ');
  }
  const out = [document.title, body];
  for (const node of document.querySelectorAll('[title], [placeholder], [aria-label]')) {
    const box = node.getBoundingClientRect();
    if (!box.width && !box.height) continue;
    for (const a of ['title', 'placeholder', 'aria-label']) if (node.getAttribute(a)) out.push(node.getAttribute(a));
  }
  return out.join('\\n');
}"""


def visible_text(page) -> str:
    return page.evaluate(_VISIBLE_TEXT)


def _around(text: str, word: str) -> str:
    i = text.find(word)
    return text[max(0, i - 30): i + len(word) + 30].replace("\n", " ⏎ ")


def page_leaks(page, lang: str, allowed: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Every leak on the page as it is now: 'english: word (…context…)' / 'code: word (…)'."""
    text = visible_text(page)
    leaks = [f"code: {w} ({_around(text, w)})" for w in dict.fromkeys(raw_codes(text, allowed))]
    if lang == "zh":
        leaks += [f"english: {w} ({_around(text, w)})" for w in dict.fromkeys(english_words(text, allowed))]
    return leaks
