"""Rule packs: YAML files in rules/ (and the user's folders), validated against rules.schema.json.

A pack holds rules of a closed set of kinds (substitution, pattern, boilerplate) so that people who do not
program can write them. Every error names the file and the line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, ClassVar, Mapping

from repair.model import Applicability, Category, Example, RuleInfo, Severity


class RuleSetError(Exception):
    """A rule file that cannot be used; the message cites file and line."""


@dataclass(frozen=True)
class RuleSpec:
    """One validated rule of a pack: its metadata, its message template and where it was written.

    A subclass per kind holds that kind's data, decoded once by the loader (SPEC_KINDS)."""

    info: RuleInfo
    message: str
    path: str
    line: int

    kind: ClassVar[str] = ""


@dataclass(frozen=True)
class SubstitutionSpec(RuleSpec):
    """Whole words or phrases with a preferred form (None: only reported)."""

    terms: Mapping[str, str | None] = field(default_factory=dict)
    case_sensitive: bool = False

    kind: ClassVar[str] = "substitution"


@dataclass(frozen=True)
class PatternSpec(RuleSpec):
    """Regular expressions with an optional replacement template."""

    patterns: tuple[str, ...] = ()
    replacement: str | None = None
    ignore_case: bool = False

    kind: ClassVar[str] = "pattern"


@dataclass(frozen=True)
class BoilerplateSpec(RuleSpec):
    """Whole lines to remove, and site-name suffixes."""

    lines: tuple[str, ...] = ()
    line_patterns: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()

    kind: ClassVar[str] = "boilerplate"


def _substitution(raw: dict) -> dict:
    return {"terms": dict(raw["terms"]), "case_sensitive": raw.get("case_sensitive", False)}


def _pattern(raw: dict) -> dict:
    return {"patterns": tuple(raw.get("patterns") or [raw["pattern"]]), "replacement": raw.get("replacement"),
            "ignore_case": raw.get("ignore_case", False)}


def _boilerplate(raw: dict) -> dict:
    return {"lines": tuple(raw.get("lines", ())), "line_patterns": tuple(raw.get("line_patterns", ())),
            "suffixes": tuple(raw.get("suffixes", ()))}


#: each kind of rule: its spec class and the decoder of its validated YAML data
SPEC_KINDS: dict[str, tuple[type[RuleSpec], Callable[[dict], dict]]] = {
    "substitution": (SubstitutionSpec, _substitution),
    "pattern": (PatternSpec, _pattern),
    "boilerplate": (BoilerplateSpec, _boilerplate),
}


@dataclass(frozen=True)
class RulePack:
    """A parsed rule pack: its name, the languages it applies to, the file it came from and its rules."""
    name: str
    description: str
    source_language: str
    target_language: str
    path: str
    rules: tuple[RuleSpec, ...]

    def applies(self, language: str, source_languages: tuple[str, ...]) -> bool:
        if self.target_language not in ("any", language):
            return False
        return self.source_language == "any" or not source_languages or self.source_language in source_languages


@lru_cache(maxsize=1)
def builtin_rules_dir() -> Path:
    """The packs that ship with repair: in a source checkout the `rules` folder beside the package (so that a
    second working copy of the repository reads its own packs, not those of the copy that is installed); else the
    package repair.rules (importlib.resources would give the same folder, at a cost in start-up time). Asked once:
    every pack detector asks whether its pack is built in."""
    beside = Path(__file__).resolve().parent.parent / "rules"
    if (beside / "rules.schema.json").is_file() and (beside / "__init__.py").is_file():
        return beside
    import repair.rules

    return Path(repair.rules.__file__).parent


def is_builtin(pack: RulePack) -> bool:
    """A pack that ships with repair (reviewed), as against one from a user's folder (`rules = [...]`)."""
    return Path(pack.path).parent == builtin_rules_dir()


@lru_cache(maxsize=1)
def _schema_validator():
    import jsonschema

    schema = json.loads((builtin_rules_dir() / "rules.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _compose_lines(text: str, path: str) -> dict[tuple, int]:
    """Line (1-based) of every node, keyed by its path of keys and indices; duplicate keys are errors."""
    import yaml

    try:
        root = yaml.compose(text, Loader=_loaders()[0])
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else path
        raise RuleSetError(f"{where}: invalid YAML: {getattr(error, 'problem', error)}") from error
    lines: dict[tuple, int] = {}

    def walk(node, key_path: tuple) -> None:
        lines[key_path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = key_node.value
                if key in seen:
                    raise RuleSetError(
                        f"{path}:{key_node.start_mark.line + 1}: duplicate key {key!r} (first at line {seen[key]})"
                    )
                seen[key] = key_node.start_mark.line + 1
                walk(value_node, key_path + (key,))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, key_path + (index,))

    if root is not None:
        walk(root, ())
    return lines


def _line_for(lines: dict[tuple, int], key_path: tuple) -> int:
    key_path = tuple(str(k) if not isinstance(k, int) else k for k in key_path)
    while key_path and key_path not in lines:
        key_path = key_path[:-1]
    return lines.get(key_path, 1)


def load_pack(path: Path | str) -> RulePack:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RuleSetError(f"{path}: cannot read rule file: {error}") from error
    lines = _compose_lines(text, str(path))
    import yaml

    data = yaml.load(text, Loader=_loaders()[1])
    if not isinstance(data, dict):
        raise RuleSetError(f"{path}:1: a rule pack is a mapping with keys pack, description and rules")
    errors = sorted(_schema_validator().iter_errors(data), key=lambda e: (_line_for(lines, tuple(e.absolute_path)), e.message))
    if errors:
        error = errors[0]
        where = "/".join(str(p) for p in error.absolute_path) or "top level"
        raise RuleSetError(f"{path}:{_line_for(lines, tuple(error.absolute_path))}: {where}: {error.message}")
    source = data.get("source_language", "any")
    target = data.get("target_language", "en")
    specs = []
    for index, raw in enumerate(data["rules"]):
        line = _line_for(lines, ("rules", index))
        _check_regexes(raw, path, lines, index)
        fix = None
        if _has_fix(raw):
            fix = Applicability.parse(raw.get("applicability", "safe"))
        info = RuleInfo(
            code=raw["code"],
            name=raw["name"],
            category=Category(raw["category"]),
            severity=Severity(raw["severity"]),
            summary=_summary(raw["message"]),
            examples=tuple(Example(e["bad"], e["good"]) for e in raw["examples"]),
            fix=fix,
            why=raw.get("why", ""),
            origin=f"{path.name} ({data['pack']})",
            source_languages=() if source == "any" else (source,),
            target_languages=() if target == "any" else (target,),
        )
        spec_class, decode = SPEC_KINDS[raw["kind"]]
        specs.append(spec_class(info, raw["message"], str(path), line, **decode(raw)))
    return RulePack(data["pack"], data["description"], source, target, str(path), tuple(specs))


def _summary(message: str) -> str:
    """A rule's message as a description: 'French acronym X: in English it is Y' (the text found is X, what the
    fix writes is Y)."""
    return re.sub(r"\{(match|replacement)(!r)?\}",
                  lambda m: ("'X'" if m.group(2) else "X") if m.group(1) == "match" else ("'Y'" if m.group(2) else "Y"),
                  message)


def _has_fix(raw: dict) -> bool:
    if raw.get("applicability") == "display-only":
        return True
    if raw["kind"] == "substitution":
        return any(v is not None for v in raw["terms"].values())
    if raw["kind"] == "pattern":
        return raw.get("replacement") is not None
    return True  # boilerplate: the fix removes the leftover


def _check_regexes(raw: dict, path: Path, lines: dict, index: int) -> None:
    candidates = []
    if "pattern" in raw:
        candidates.append((("rules", index, "pattern"), raw["pattern"]))
    for key in ("patterns", "line_patterns"):
        for position, pattern in enumerate(raw.get(key, [])):
            candidates.append((("rules", index, key, position), pattern))
    for key_path, pattern in candidates:
        try:
            re.compile(pattern)
        except re.error as error:
            raise RuleSetError(f"{path}:{_line_for(lines, key_path)}: bad regular expression {pattern!r}: {error}") from error


@lru_cache(maxsize=1)
def _loaders() -> tuple[type, type]:
    """(safe loader, string-key loader), built on first use so that a run served from the pack cache never
    imports yaml; libyaml's parser when PyYAML has it (the same documents, about 20 times faster)."""
    import yaml

    safe_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _StringKeyLoader(safe_loader):
        """Safe YAML, except that plain scalars such as NO, ON or 1.0 stay strings (terms are words, not booleans)."""

    _StringKeyLoader.yaml_implicit_resolvers = {
        key: [(tag, regexp) for tag, regexp in resolvers if tag in ("tag:yaml.org,2002:null",)]
        for key, resolvers in safe_loader.yaml_implicit_resolvers.items()
    }
    # booleans are still needed for flags such as case_sensitive: resolve only the unambiguous spellings
    _StringKeyLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))
    return safe_loader, _StringKeyLoader


def load_packs(folders: list[Path]) -> list[RulePack]:
    """Every pack in the given folders, in a stable order; codes must be unique across them."""
    packs: list[RulePack] = []
    seen: dict[str, str] = {}
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            raise RuleSetError(f"{folder}: rule folder does not exist")
        for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
            pack = load_pack(path)
            for spec in pack.rules:
                if spec.info.code in seen:
                    raise RuleSetError(
                        f"{path}:{spec.line}: rule code {spec.info.code} is already used in {seen[spec.info.code]}"
                    )
                seen[spec.info.code] = f"{Path(spec.path).name}:{spec.line}"
            packs.append(pack)
    return packs


@lru_cache(maxsize=8)
def _cached_packs(folders: tuple[str, ...]) -> tuple[RulePack, ...]:
    from repair.cache import PackCache

    # parsed and validated packs are kept on disk, keyed by the files' bytes and repair's code: a run whose packs
    # did not change skips YAML parsing and schema validation (most of a small run's start-up)
    return PackCache.load_or_build(folders, lambda: tuple(load_packs([Path(f) for f in folders])))


def packs_for(extra_folders: tuple[str, ...] = ()) -> tuple[RulePack, ...]:
    return _cached_packs((str(builtin_rules_dir()),) + tuple(extra_folders))


def pack_fingerprint(packs: tuple[RulePack, ...]) -> str:
    import hashlib

    digest = hashlib.sha256()
    for pack in packs:
        digest.update(Path(pack.path).read_bytes())
    return digest.hexdigest()
