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
    actions = ["..."]        # optional: what to do about it
    owner = "计费产品组"      # optional: who acts

    [competitors]            # optional
    names = ["中国移动"]

Two optional fields state where a keyword counts (see
:mod:`feedback_miner.themes.senses`)::

    requires = { "安全" = ["账号", "密码", "支付"] }   # only with one of these in its clause
    negated = "ignore"       # a negated keyword does not count (不会换成X); default "count"

In ``requires`` the word ``{organisation}`` stands for any organisation or
product name (a brand of ``lexicons/organisations.tsv`` or a competitor). In
``keywords`` the word ``{money}`` stands for any amount of money (58元, ￥399,
两块钱; not 3块肉, where 块 counts pieces).

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

__all__ = [
    "CHURN_TYPES",
    "MONEY_KEYWORD",
    "NEGATED",
    "ORGANISATION_CONTEXT",
    "PACKS",
    "ChurnType",
    "Negated",
    "Taxonomy",
    "Theme",
    "load_pack",
    "load_taxonomy",
    "parse_taxonomy",
]

# the built-in taxonomies (lexicons/taxonomy/<pack>.toml), the generic one first
PACKS = (
    "default",
    "ecommerce",
    "restaurant",
    "hotel",
    "telecom",
    "automotive",
    "finance",
    "app",
    "education",
)

ChurnType = Literal["natural", "active", "passive"]
CHURN_TYPES: tuple[ChurnType, ...] = ("natural", "active", "passive")
Negated = Literal["count", "ignore"]
NEGATED: tuple[Negated, ...] = ("count", "ignore")
ORGANISATION_CONTEXT = "{organisation}"
# a keyword that stands for any amount of money (58元, ￥399, 两块钱)
MONEY_KEYWORD = "{money}"
_ID = re.compile(r"^[a-z0-9_]+$")
_THEME_FIELDS = {
    "id",
    "name",
    "keywords",
    "parent",
    "churn_type",
    "exclude",
    "description",
    "actions",
    "owner",
    "requires",
    "negated",
}
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
    actions : tuple of str
        What to do about it.
    owner : str
        Who acts on it.
    requires : tuple of (str, tuple of str)
        Keyword -> words one of which its clause must hold for it to count.
    negated : {"count", "ignore"}
        Whether a negated keyword (不会换成, 没有离开) still counts.
    """

    id: str
    name: str
    keywords: tuple[str, ...]
    parent: str = ""
    churn_type: ChurnType = "active"
    exclude: tuple[str, ...] = ()
    description: str = ""
    actions: tuple[str, ...] = ()
    owner: str = ""
    requires: tuple[tuple[str, tuple[str, ...]], ...] = ()
    negated: Negated = "count"


@dataclass(frozen=True)
class Taxonomy:
    """A validated taxonomy: its themes in file order and optional competitor names."""

    name: str
    version: str
    themes: tuple[Theme, ...]
    competitors: tuple[str, ...] = ()
    source: str = "default"
    description: str = ""

    @property
    def ids(self) -> tuple[str, ...]:
        """Theme ids in file order."""
        return tuple(t.id for t in self.themes)

    def children(self, theme_id: str) -> tuple[str, ...]:
        """Ids of the themes whose parent is ``theme_id``, in file order."""
        return tuple(t.id for t in self.themes if t.parent == theme_id)

    def ancestors(self, theme_id: str) -> tuple[str, ...]:
        """The parent of ``theme_id``, its parent, and so on (nearest first)."""
        parents = {t.id: t.parent for t in self.themes}
        chain: list[str] = []
        current = parents.get(theme_id, "")
        while current and current not in chain:
            chain.append(current)
            current = parents.get(current, "")
        return tuple(chain)

    def in_hierarchy_order(self) -> tuple[str, ...]:
        """Theme ids with each parent followed by its children (depth first, file order)."""
        ordered: list[str] = []

        def visit(theme_id: str) -> None:
            ordered.append(theme_id)
            for child in self.children(theme_id):
                visit(child)

        for theme in self.themes:
            if not theme.parent:
                visit(theme.id)
        return tuple(ordered)

    def theme(self, theme_id: str) -> Theme:
        """Return the theme with id ``theme_id``."""
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(theme_id)


def load_pack(pack: str) -> Taxonomy:
    """Load the built-in taxonomy ``pack`` (one of :data:`PACKS`).

    Raises
    ------
    TaxonomyError
        When there is no such pack.
    """
    if pack not in PACKS:
        raise TaxonomyError(
            invalid_choice_message("--taxonomy", pack, ("auto", *PACKS, "FILE.toml"))
        )
    text = lexicon_file(f"taxonomy/{pack}.toml").read_text(encoding="utf-8")
    return parse_taxonomy(text, source=f"{pack}.toml")


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load and validate a taxonomy file; ``None`` loads the shipped default.

    Raises
    ------
    TaxonomyError
        With file, line and field, when the file is missing or malformed.
    """
    if path is None:
        return load_pack("default")
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
        competitors=tuple(dict.fromkeys(n.strip() for n in names if n.strip())),
        source=source,
        description=str(header.get("description", "")),
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
    actions = raw.get("actions", [])
    if not _is_str_list(actions):
        raise fail("actions", "must be a list of strings (what to do about the theme).")
    owner = raw.get("owner", "")
    if not isinstance(owner, str):
        raise fail("owner", "must be a string (who acts on the theme).")
    negated = raw.get("negated", "count")
    if negated not in NEGATED:
        raise fail("negated", invalid_choice_message("negated", negated, NEGATED))
    kept = tuple(dict.fromkeys(k.strip() for k in keywords if k.strip()))
    return Theme(
        id=theme_id,
        name=name.strip(),
        keywords=kept,
        parent=parent.strip(),
        churn_type=churn_type,
        exclude=tuple(e.strip() for e in exclude if e.strip()),
        description=description.strip(),
        actions=tuple(a.strip() for a in actions if a.strip()),
        owner=owner.strip(),
        requires=_requires(raw.get("requires", {}), kept, fail),
        negated=negated,
    )


def _requires(
    raw: Any, keywords: tuple[str, ...], fail: Any
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The ``requires`` table: keyword -> context words, each keyword one of the theme's."""
    if not isinstance(raw, dict):
        raise fail(
            "requires",
            'must be a table of keyword = [context words], e.g. requires = { "安全" = ["账号"] }.',
        )
    rules = []
    for keyword, context in raw.items():
        if keyword.strip() not in keywords:
            raise fail(
                "requires", f"{keyword!r} is not one of the theme's keywords; add it to keywords."
            )
        if not _is_str_list(context) or not [c for c in context if c.strip()]:
            raise fail(
                "requires", f"the context of {keyword!r} must be a non-empty list of strings."
            )
        rules.append((keyword.strip(), tuple(c.strip() for c in context if c.strip())))
    return tuple(rules)


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
