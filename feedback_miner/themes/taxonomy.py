"""The churn-reason taxonomy: a TOML file users own and edit.

The format is fixed by DESIGN.md::

    [taxonomy]
    name = "telecom"
    version = "2026.11"

    [[themes]]
    id = "price"
    name = "资费价格"
    keywords = ["资费", "太贵"]
    parent = ""              # optional
    churn_type = "active"    # optional: natural | active | passive
    exclude = ["贵宾"]        # optional
    description = "..."      # optional

    [competitors]            # optional
    names = ["中国移动"]

Validation errors name the file, the line and the field.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeGuard

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

from ..errors import TaxonomyError, invalid_choice_message
from ..resources import lexicon_file

__all__ = ["CHURN_TYPES", "ChurnType", "Taxonomy", "Theme", "load_taxonomy", "parse_taxonomy"]

ChurnType = Literal["natural", "active", "passive"]
CHURN_TYPES: tuple[ChurnType, ...] = ("natural", "active", "passive")
_ID = re.compile(r"^[a-z0-9_]+$")
_THEME_FIELDS = {"id", "name", "keywords", "parent", "churn_type", "exclude", "description"}
_THEMES_HEADER = re.compile(r"^\s*\[\[\s*themes\s*\]\]")
_TABLE_HEADER = re.compile(r"^\s*\[")


@dataclass(frozen=True)
class Theme:
    """One churn reason.

    Attributes
    ----------
    id : str
        Stable identifier, ``[a-z0-9_]+``.
    name : str
        Display name (usually Chinese).
    keywords : tuple of str
        Words or phrases that signal the theme; matched as whole tokens.
    parent : str
        Id of the parent theme, or ``""``.
    churn_type : {"natural", "active", "passive"}
        自然 / 主动 / 被动流失.
    exclude : tuple of str
        A clause containing one of these does not match.
    description : str
        Free text for the report.
    """

    id: str
    name: str
    keywords: tuple[str, ...]
    parent: str = ""
    churn_type: ChurnType = "active"
    exclude: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Taxonomy:
    """A validated taxonomy: its themes in file order and optional competitor names."""

    name: str
    version: str
    themes: tuple[Theme, ...]
    competitors: tuple[str, ...] = ()
    source: str = "default"

    @property
    def ids(self) -> tuple[str, ...]:
        """Theme ids in file order."""
        return tuple(t.id for t in self.themes)

    def theme(self, theme_id: str) -> Theme:
        """Return the theme with id ``theme_id``."""
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(theme_id)


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load and validate a taxonomy file; ``None`` loads the shipped default.

    Raises
    ------
    TaxonomyError
        With file, line and field, when the file is missing or malformed.
    """
    if path is None:
        text = lexicon_file("taxonomy/default.toml").read_text(encoding="utf-8")
        return parse_taxonomy(text, source="default.toml")
    file = Path(path)
    if not file.is_file():
        raise TaxonomyError(
            f"{file}: taxonomy file not found. Check the path, or leave out --taxonomy "
            "to use the default taxonomy."
        )
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise TaxonomyError(
            f"{file}: the taxonomy is not UTF-8 text (byte {err.start}); save it as UTF-8."
        ) from None
    return parse_taxonomy(text, source=str(file))


def parse_taxonomy(text: str, *, source: str = "<string>") -> Taxonomy:
    """Parse and validate taxonomy TOML ``text``; ``source`` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise TaxonomyError(
            f"{source}: not valid TOML: {err}. Fix the syntax at that line."
        ) from None
    except RecursionError:
        raise TaxonomyError(
            f"{source}: arrays or tables are nested too deeply to be a taxonomy; a taxonomy is "
            "a [taxonomy] table and [[themes]] blocks of keywords (see lexicons/taxonomy/default.toml)."
        ) from None
    lines = text.splitlines()
    header = data.get("taxonomy", {})
    if not isinstance(header, dict):
        raise TaxonomyError(f"{source}: [taxonomy] must be a table with name and version.")
    raw_themes = data.get("themes")
    if not isinstance(raw_themes, list) or not raw_themes:
        raise TaxonomyError(
            f"{source}: no [[themes]] found; add at least one block with id, name and keywords."
        )
    themes = [_theme(raw, i, lines, source) for i, raw in enumerate(raw_themes)]
    _check_ids(themes, lines, source)
    competitors = data.get("competitors", {})
    names = competitors.get("names", []) if isinstance(competitors, dict) else None
    if names is None or not _is_str_list(names):
        raise TaxonomyError(
            f"{source}, line {_line_of_key(lines, 'names', _table_line(lines, 'competitors'))}: "
            "[competitors] names must be a list of strings."
        )
    return Taxonomy(
        name=str(header.get("name", Path(source).stem)),
        version=str(header.get("version", "")),
        themes=tuple(themes),
        competitors=tuple(n.strip() for n in names if n.strip()),
        source=source,
    )


def _theme(raw: Any, index: int, lines: list[str], source: str) -> Theme:
    start = _theme_line(lines, index)

    def fail(field: str, problem: str) -> TaxonomyError:
        line = _line_of_key(lines, field, start)
        return TaxonomyError(
            f"{source}, line {line}: theme #{index + 1}, field {field!r}: {problem}"
        )

    if not isinstance(raw, dict):
        raise TaxonomyError(f"{source}, line {start}: theme #{index + 1} must be a table.")
    unknown = sorted(set(raw) - _THEME_FIELDS)
    if unknown:
        raise fail(unknown[0], f"unknown field; the fields are {', '.join(sorted(_THEME_FIELDS))}.")
    theme_id = raw.get("id")
    if not isinstance(theme_id, str) or not _ID.match(theme_id):
        raise fail("id", f"{theme_id!r} is not a valid id; use lower-case letters, digits and _.")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise fail("name", "a non-empty name is required.")
    keywords = raw.get("keywords")
    if not _is_str_list(keywords) or not [k for k in keywords if k.strip()]:
        raise fail("keywords", "a non-empty list of strings is required.")
    exclude = raw.get("exclude", [])
    if not _is_str_list(exclude):
        raise fail("exclude", "must be a list of strings.")
    churn_type = raw.get("churn_type", "active")
    if churn_type not in CHURN_TYPES:
        raise fail("churn_type", invalid_choice_message("churn_type", churn_type, CHURN_TYPES))
    parent = raw.get("parent", "")
    if not isinstance(parent, str):
        raise fail("parent", "must be the id of another theme, as a string.")
    description = raw.get("description", "")
    if not isinstance(description, str):
        raise fail("description", "must be a string.")
    return Theme(
        id=theme_id,
        name=name.strip(),
        keywords=tuple(dict.fromkeys(k.strip() for k in keywords if k.strip())),
        parent=parent.strip(),
        churn_type=churn_type,
        exclude=tuple(e.strip() for e in exclude if e.strip()),
        description=description.strip(),
    )


def _check_ids(themes: list[Theme], lines: list[str], source: str) -> None:
    seen: dict[str, int] = {}
    for i, theme in enumerate(themes):
        if theme.id in seen:
            line = _line_of_key(lines, "id", _theme_line(lines, i))
            raise TaxonomyError(
                f"{source}, line {line}: theme #{i + 1}, field 'id': {theme.id!r} is already "
                f"used by theme #{seen[theme.id] + 1}; ids must be unique."
            )
        seen[theme.id] = i
    for i, theme in enumerate(themes):
        if theme.parent and theme.parent not in seen:
            line = _line_of_key(lines, "parent", _theme_line(lines, i))
            raise TaxonomyError(
                f"{source}, line {line}: theme #{i + 1}, field 'parent': {theme.parent!r} is not "
                "the id of a theme in this file."
            )
    parents = {t.id: t.parent for t in themes}
    for i, theme in enumerate(themes):
        chain, current = [theme.id], theme.parent
        while current:
            if current in chain:
                line = _line_of_key(lines, "parent", _theme_line(lines, i))
                raise TaxonomyError(
                    f"{source}, line {line}: theme #{i + 1}, field 'parent': the parents form a "
                    f"cycle ({' -> '.join([*chain, current])})."
                )
            chain.append(current)
            current = parents[current]


def _is_str_list(value: Any) -> TypeGuard[list[str]]:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _theme_line(lines: list[str], index: int) -> int:
    """1-based line of the ``index``-th ``[[themes]]`` header (1 if not found)."""
    found = [n for n, line in enumerate(lines, start=1) if _THEMES_HEADER.match(line)]
    return found[index] if index < len(found) else 1


def _table_line(lines: list[str], table: str) -> int:
    pattern = re.compile(rf"^\s*\[\s*{re.escape(table)}\s*\]")
    return next((n for n, line in enumerate(lines, start=1) if pattern.match(line)), 1)


def _line_of_key(lines: list[str], key: str, start: int) -> int:
    """Line of ``key = ...`` in the table starting at line ``start`` (else ``start``)."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for n in range(start, len(lines)):
        line = lines[n]
        if _TABLE_HEADER.match(line):
            break
        if pattern.match(line):
            return n + 1
    return start
