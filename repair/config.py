"""Settings from [tool.repair] in pyproject.toml or from repair.toml, validated strictly.

Every run looks for its configuration, and a project's pyproject.toml is read on every run even when it holds no
[tool.repair]: the table a file gives (or that it gives none) is kept in the repair home's config/ folder, keyed
by the file's text, so that an unchanged file is not parsed again (tomllib's import and parse were about a tenth
of a small run's start-up). A file that does not parse is never kept: its error is reported every time.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

CONFIG_FILES = ("repair.toml", ".repair.toml", "pyproject.toml")
DEFAULT_INCLUDE = ("*.txt", "*.md", "*.markdown", "*.rst", "*.text", "*.html", "*.htm", "*.srt", "*.vtt")


class ConfigError(Exception):
    """A configuration that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Settings:
    """The resolved configuration of a run: defaults, then the project's file, then the command line."""
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    language: str = "en"
    source_language: str = "auto"
    rules: tuple[str, ...] = ()  # extra folders of rule packs, absolute paths
    allow: tuple[str, ...] = ()  # words never reported as misspelled or untranslated
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    languagetool: bool = True
    languagetool_url: str | None = None
    languagetool_timeout: float = 120.0  # seconds a LanguageTool request may take (repair.languagetool.client)
    languagetool_level: str = "default"  # "default": errors only; "picky": LanguageTool's advice too
    one_publication: bool = False  # the files of a run are one publication: CON001 compares names across them
    cache: bool = True
    cache_dir: str | None = None
    jobs: int = 0  # 0: one per core
    fail_on: str = "info"
    #: (glob, format) pairs that override the format a file's extension gives (repair.formats)
    formats: tuple[tuple[str, str], ...] = ()
    #: (glob, rule codes/prefixes/categories) pairs: what is not reported in the files a glob matches
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: report suppression comments that suppress nothing (SUP001)
    report_unused_suppressions: bool = False
    config_path: str | None = field(default=None, compare=False)
    project_root: str | None = field(default=None, compare=False)

    def with_overrides(self, **values: Any) -> "Settings":
        return replace(self, **{k: v for k, v in values.items() if v is not None})

    def fingerprint(self) -> str:
        """What changes a file's findings: everything but paths and execution details."""
        skip = {"config_path", "project_root", "cache", "cache_dir", "jobs", "include", "exclude", "fail_on",
                "languagetool_timeout"}
        return repr(sorted((f.name, getattr(self, f.name)) for f in fields(self) if f.name not in skip))


_TYPES: dict[str, tuple[str, type]] = {
    "select": ("select", list),
    "ignore": ("ignore", list),
    "language": ("language", str),
    "source-language": ("source_language", str),
    "rules": ("rules", list),
    "allow": ("allow", list),
    "include": ("include", list),
    "exclude": ("exclude", list),
    "languagetool": ("languagetool", bool),
    "languagetool-url": ("languagetool_url", str),
    "languagetool-timeout": ("languagetool_timeout", float),
    "languagetool-level": ("languagetool_level", str),
    "one-publication": ("one_publication", bool),
    "cache": ("cache", bool),
    "cache-dir": ("cache_dir", str),
    "jobs": ("jobs", int),
    "fail-on": ("fail_on", str),
    "formats": ("formats", dict),
    "per-file-ignores": ("per_file_ignores", dict),
    "report-unused-suppressions": ("report_unused_suppressions", bool),
}
FAIL_ON = ("error", "warning", "info")
LANGUAGETOOL_LEVELS = ("default", "picky")  # repair.detectors.languagetool_mapping.LEVELS


def _table(path: Path, where: str, key: str, value: Any) -> tuple:
    """`formats` (glob -> format name) and `per-file-ignores` (glob -> list of codes), as sorted pairs."""
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: key {key!r} in {where} must be a table of glob = value")
    pairs = []
    for glob, item in value.items():
        if key == "formats":
            from repair.formats import PARSERS

            if item not in PARSERS:
                raise ConfigError(f"{path}: key {key!r} in {where}: {glob!r} = {item!r} is not a format "
                                  f"(use {', '.join(PARSERS)})")
            pairs.append((glob, item))
        else:
            if not isinstance(item, list) or not all(isinstance(code, str) for code in item):
                raise ConfigError(f"{path}: key {key!r} in {where}: {glob!r} must be a list of rule codes")
            pairs.append((glob, tuple(item)))
    return tuple(pairs)


def _toml_error(error: Exception, text: str) -> str:
    """tomllib's message, always with a line ("at end of document" becomes the last line)."""
    message = str(error)
    if "(at end of document)" in message:
        message = message.replace("(at end of document)", f"(at line {text.count(chr(10)) + 1}, the end of the file)")
    return message


#: the file's table when it has none: a pyproject.toml without [tool.repair]
NO_TABLE = None


def _repair_table(path: Path, data: dict) -> Any:
    """What a parsed configuration file gives repair: a pyproject.toml its [tool.repair] table (NO_TABLE when
    it has none), a repair.toml the whole document."""
    if path.name != "pyproject.toml":
        return data
    if "repair" not in data.get("tool", {}):
        return NO_TABLE
    return data.get("tool", {}).get("repair", {})


def _table_of(path: Path) -> Any:
    """The file's table (_repair_table), parsed with tomllib or kept in the home's config/ folder (module
    docstring). Raises ConfigError for invalid TOML, OSError or UnicodeDecodeError when it cannot be read."""
    from repair import home_data

    text = path.read_text(encoding="utf-8")
    name = home_data.key("pyproject" if path.name == "pyproject.toml" else "table", text)
    try:
        kept = home_data.read("config", name)
        if isinstance(kept, dict) and "table" in kept:
            return kept["table"]
    except LookupError:  # not kept yet
        pass
    import tomllib

    try:
        table = _repair_table(path, tomllib.loads(text))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {_toml_error(error, text)}") from error
    home_data.write("config", name, {"table": table})  # (not kept when JSON cannot hold it as it is: a date)
    return table


def find_config(start: Path) -> Path | None:
    """The nearest repair.toml, or pyproject.toml with a [tool.repair] table, walking up from start."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for candidate_folder in (folder, *folder.parents):
        for name in CONFIG_FILES:
            candidate = candidate_folder / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml":
                return candidate
            try:  # invalid TOML: it may hold [tool.repair], never fall back to defaults (ConfigError)
                table = _table_of(candidate)
            except (OSError, UnicodeDecodeError):
                continue
            if table is not NO_TABLE:
                return candidate
    return None


def load_settings(path: Path) -> Settings:
    try:
        table = _table_of(path)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from error
    if path.name == "pyproject.toml":
        table = {} if table is NO_TABLE else table
        where = "[tool.repair]"
    else:
        where = "top level"
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {where} must be a table")
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in _TYPES:
            known = ", ".join(sorted(_TYPES))
            raise ConfigError(f"{path}: unknown key {key!r} in {where} (known keys: {known})")
        attribute, expected = _TYPES[key]
        if expected is dict:
            value = _table(path, where, key, value)
        elif expected is list:
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                raise ConfigError(f"{path}: key {key!r} in {where} must be a list of strings")
            value = tuple(value)
        elif expected is int:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ConfigError(f"{path}: key {key!r} in {where} must be a whole number >= 0")
        elif expected is float:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError(f"{path}: key {key!r} in {where} must be a number")
            value = float(value)
        elif not isinstance(value, expected):
            raise ConfigError(f"{path}: key {key!r} in {where} must be a {expected.__name__}")
        values[attribute] = value
    if "language" in values:
        from repair.languages import UnknownLanguage, target_code

        try:
            values["language"] = target_code(values["language"])
        except UnknownLanguage as error:
            raise ConfigError(f"{path}: key 'language' in {where}: {error}") from None
    if values.get("languagetool_level", "default") not in LANGUAGETOOL_LEVELS:
        raise ConfigError(f"{path}: key 'languagetool-level' in {where} must be one of "
                          f"{', '.join(LANGUAGETOOL_LEVELS)}")
    if "languagetool_timeout" in values and not values["languagetool_timeout"] > 0:
        raise ConfigError(f"{path}: key 'languagetool-timeout' in {where} must be a number of seconds > 0")
    if "fail_on" in values and values["fail_on"] not in FAIL_ON:
        raise ConfigError(f"{path}: key 'fail-on' in {where} must be one of {', '.join(FAIL_ON)}")
    if "rules" in values:
        resolved = []
        for folder in values["rules"]:
            absolute = (path.parent / folder).resolve()
            if not absolute.is_dir():
                raise ConfigError(f"{path}: key 'rules' in {where}: folder {folder!r} does not exist")
            resolved.append(str(absolute))
        values["rules"] = tuple(resolved)
    return Settings(config_path=str(path), project_root=str(path.parent), **values)


def resolve_settings(paths: list[str], config: str | None) -> Settings:
    if config:
        config_path = Path(config)
        if not config_path.is_file():
            raise ConfigError(f"{config}: configuration file not found")
        return load_settings(config_path)
    first = next((Path(p) for p in paths if p != "-"), Path.cwd())
    found = find_config(first if first.exists() else Path.cwd())
    return load_settings(found) if found else Settings()
