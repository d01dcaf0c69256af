"""What a regular expression needs of a text, read from its parse tree (re's own parser): the facts that let one
literal scan (repair.detectors.packmatch) decide where a pattern cannot match, without changing what it matches.

- `required_literals(pattern, flags)`: strings one of which every match holds, in the text it consumes or in a
  positive look-around (case-folded with `fold` when the pattern ignores case), or None when there is no such set;
- `stays_on_one_line(pattern, flags)`: nothing in the pattern can match a line break and no anchor depends on where
  the text ends, so a search of each line alone (`finditer(text, line_start, line_end)`) finds exactly the matches
  that a search of the whole text finds on that line;
- `first_char_hint(pattern, flags)`: the same pattern, with a leading look-ahead on the letters every match begins
  with when it begins with a look-around (re then skips ahead to those letters, as it does for a literal start);
- `compiled_flags(pattern, flags)`: the flags re.compile gives the pattern (inline flags included);
- `fold(text)`: the text with each character replaced by one representative of the characters that re's IGNORECASE
  takes for the same letter, same length: when a case-insensitive pattern matches a literal somewhere, the folded
  literal is found at the same offsets in the folded text.

>>> sorted(required_literals(r"\\bthere (?:is|are) (two|three) days\\b", 0))
['there are three days', 'there are two days', 'there is three days', 'there is two days']
>>> stays_on_one_line(r"(?<=\\()[ \\t]+(?=\\S)", 0), stays_on_one_line(r"\\s+", 0)
(True, False)
>>> fold("ſtraSSe İ") == fold("STRASSE i")
True
"""

from __future__ import annotations

import re
from itertools import product

try:  # the parser and constants re itself uses (Python 3.11+)
    from re import _constants as _sre, _parser as _sre_parse
except ImportError:  # pragma: no cover - older layouts
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

#: the most strings one literal set may hold (a product of alternatives beyond it is cut into shorter runs)
MAX_SET = 64
_NEWLINE = ord("\n")
_REPEATS = tuple(getattr(_sre, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(_sre, name))
_ATOMIC = getattr(_sre, "ATOMIC_GROUP", None)


# --- case folding as re compares letters ------------------------------------------------------------------------
def _extra_cases() -> dict[int, tuple[int, ...]]:
    """Lower-case letters that re's IGNORECASE takes for each other besides their case (i and dotless ı, s and
    long ſ, σ and ς...): re's own table where it has one."""
    try:
        from re._casefix import _EXTRA_CASES

        return dict(_EXTRA_CASES)
    except ImportError:  # pragma: no cover - Python before 3.11: the same pairs, from re's compiler
        from sre_compile import _equivalences  # type: ignore[attr-defined]

        return {a: tuple(b for b in group if b != a) for group in _equivalences for a in group}


def _representatives() -> dict[int, str]:
    """Each letter of an extra-case group that is not the group's smallest member -> that member."""
    table: dict[int, str] = {}
    for letter, others in _extra_cases().items():
        group = (letter, *others)
        for member in group:
            if member != min(group):
                table[member] = chr(min(group))
    return table


_CANONICAL = _representatives()
_NEEDS_CANONICAL = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_CANONICAL)) + "]")
#: str.lower() lowers every character as re does (one for one) except this one, which it turns into two
_DOTTED_CAPITAL_I = "\u0130"


def fold(text: str) -> str:
    """text as re's IGNORECASE compares it, one character for one (see the module's docstring)."""
    if text.isascii():  # (every letter that needs more than lower() is beyond ASCII)
        return text.lower()
    if _DOTTED_CAPITAL_I in text:
        text = text.replace(_DOTTED_CAPITAL_I, "i")  # re lowers it to i; str.lower() gives i and a combining dot
    lowered = text.lower()
    if _NEEDS_CANONICAL.search(lowered) is not None:
        # one replace per distinct character to canonicalise: the same string as str.translate, which walks a long
        # text character by character (5x slower on 8 MB, where only a few such letters occur)
        for letter in set(_NEEDS_CANONICAL.findall(lowered)):
            lowered = lowered.replace(letter, _CANONICAL[ord(letter)])
    return lowered


def compiled_flags(pattern: str, flags: int = 0) -> int:
    """The flags `re.compile(pattern, flags).flags` reports: those given, those the pattern sets inline ((?i)...)
    and re's own (UNICODE for a str pattern unless ASCII is given). Since Python 3.11 inline flags that apply to
    the whole pattern must open it, so a pattern that does not begin with "(?" is not parsed."""
    if not pattern.startswith("(?") and not flags & (re.ASCII | re.LOCALE | re.DEBUG):
        return int(flags | re.UNICODE)
    try:
        return int(flags | _sre_parse.parse(pattern, flags).state.flags)
    except Exception:  # re.compile reports it
        return int(flags)


# --- literals every match holds ---------------------------------------------------------------------------------
def required_literals(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """A set of non-empty strings one of which every match of pattern holds; None when none is known."""
    try:
        parsed = _sre_parse.parse(pattern, flags)
    except Exception:  # re.compile reports it
        return None
    ignore_case = bool(parsed.state.flags & re.IGNORECASE)
    _, best = _sequence(list(parsed))
    if not best or not all(best):
        return None
    return frozenset(fold(s) for s in best) if ignore_case else frozenset(best)


def _product(left: set[str], right: set[str]) -> set[str] | None:
    if len(left) * len(right) > MAX_SET:
        return None
    return {a + b for a, b in product(left, right)}


def _better(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    """The more selective of two required sets: longer shortest string (blanks not counted: a space is
    everywhere), then fewer strings."""
    candidates = [s for s in (a, b) if s and all(s)]
    if not candidates:
        return None
    return max(candidates, key=lambda s: (min(len(x.strip()) for x in s), -len(s)))


def _sequence(items) -> tuple[set[str] | None, set[str] | None]:
    """(every string the sequence can consume, if a small finite set; the best required set)."""
    exact: set[str] | None = {""}
    run: set[str] = {""}  # what the items since the last variable one consume, one after the other
    best: set[str] | None = None
    for item in items:
        least = _least_repeat(item)
        if least is not None:  # x{2,}: its first copies end the run, its last copies begin the next one
            best = _better(best, _product(run, least) or run)
            run, exact = set(least), None
            continue
        item_exact, item_best = _item(item)
        best = _better(best, item_best)
        if item_exact is None:
            best = _better(best, run)
            run, exact = {""}, None
            continue
        joined = _product(run, item_exact)
        if joined is None:
            best = _better(best, run)
            run = set(item_exact)
        else:
            run = joined
        exact = _product(exact, item_exact) if exact is not None else None
    return exact, _better(best, run)


def _least_repeat(item) -> set[str] | None:
    """For a repeat of a fixed small set of strings at least once but not a fixed number of times: what its
    minimum number of copies consumes; else None."""
    op, argument = item
    if op not in _REPEATS:
        return None
    low, high, body = argument
    if low == 0 or low == high:
        return None
    body_exact, _ = _sequence(list(body))
    if body_exact is None or "" in body_exact:
        return None
    least: set[str] | None = {""}
    for _ in range(low):
        least = _product(least, body_exact) if least is not None else None
    return least


def _item(item) -> tuple[set[str] | None, set[str] | None]:
    """(exact strings the item consumes or None; a required set of its own or None)."""
    op, argument = item
    if op is _sre.LITERAL:
        return {chr(argument)}, None
    if op is _sre.IN:
        if all(kind is _sre.LITERAL for kind, _ in argument) and len(argument) <= 8:
            return {chr(value) for _, value in argument}, None
        return None, None
    if op is _sre.AT or op is _sre.ASSERT_NOT:
        return {""}, None  # zero width: the text around it stays one run
    if op is _sre.ASSERT:
        _, body = argument
        return {""}, _sequence(list(body))[1]
    if op is _sre.SUBPATTERN:
        _, add_flags, del_flags, body = argument
        if add_flags or del_flags:
            return None, None  # a local case or dot flag: not worth the bookkeeping
        return _sequence(list(body))
    if _ATOMIC is not None and op is _ATOMIC:
        return _sequence(list(argument))
    if op is _sre.BRANCH:
        alternatives = [_sequence(list(alternative)) for alternative in argument[1]]
        exact: set[str] | None = set()
        for alternative_exact, _ in alternatives:
            if alternative_exact is None or exact is None:
                exact = None
            else:
                exact |= alternative_exact
        if exact is not None and len(exact) > MAX_SET:
            exact = None
        bests = [alternative_best for _, alternative_best in alternatives]
        best = None
        if all(b and all(b) for b in bests):
            union = set().union(*bests)
            best = union if len(union) <= 4 * MAX_SET else None
        return exact, best
    if op in _REPEATS:
        low, high, body = argument
        body_exact, body_best = _sequence(list(body))
        if low == 0:
            return ({""} if high == 0 else None), None
        once = _better(body_best, body_exact)
        if body_exact is not None and low == high:
            repeated: set[str] | None = {""}
            for _ in range(low):
                repeated = _product(repeated, body_exact) if repeated is not None else None
            if repeated is not None:
                return repeated, None
        if body_exact is not None:
            at_least: set[str] | None = {""}
            for _ in range(low):
                at_least = _product(at_least, body_exact) if at_least is not None else None
            once = _better(once, at_least)
        return None, once
    return None, None  # any character, a class, a back-reference: nothing known


def match_lengths(pattern: str, flags: int = 0) -> tuple[int, int] | None:
    """(shortest, longest) length of a match in characters; None when the longest is unbounded or unknown."""
    try:
        low, high = _sre_parse.parse(pattern, flags).getwidth()
    except Exception:
        return None
    return (low, high) if high < 1 << 16 else None


# --- matches that stay on one line ------------------------------------------------------------------------------
_CATEGORIES_WITHOUT_NEWLINE = {_sre.CATEGORY_DIGIT, _sre.CATEGORY_NOT_SPACE, _sre.CATEGORY_WORD,
                               _sre.CATEGORY_NOT_LINEBREAK}
_CATEGORIES_WITH_NEWLINE = {_sre.CATEGORY_NOT_DIGIT, _sre.CATEGORY_SPACE, _sre.CATEGORY_NOT_WORD,
                            _sre.CATEGORY_LINEBREAK}


def stays_on_one_line(pattern: str, flags: int = 0) -> bool:
    """True when no part of the pattern (look-arounds included) can match a line break and its anchors read a line
    end as they read the end of a search window: `^` anywhere, `$` only in MULTILINE mode, never `\\Z`."""
    try:
        parsed = _sre_parse.parse(pattern, flags)
    except Exception:
        return False
    return _local(list(parsed), parsed.state.flags)


def _class_has_newline(members) -> bool | None:
    """Whether a character class's members include the line break (None: cannot tell)."""
    found = False
    for kind, value in members:
        if kind is _sre.NEGATE:
            continue
        if kind is _sre.LITERAL:
            found |= value == _NEWLINE
        elif kind is _sre.RANGE:
            found |= value[0] <= _NEWLINE <= value[1]
        elif kind is _sre.CATEGORY:
            if value in _CATEGORIES_WITH_NEWLINE:
                found = True
            elif value not in _CATEGORIES_WITHOUT_NEWLINE:
                return None
        else:
            return None
    return found


def _local(items, flags: int) -> bool:
    for op, argument in items:
        if op is _sre.LITERAL:
            if argument == _NEWLINE:
                return False
        elif op is _sre.NOT_LITERAL:
            if argument != _NEWLINE:
                return False
        elif op is _sre.ANY:
            if flags & re.DOTALL:
                return False
        elif op is _sre.IN:
            negated = bool(argument) and argument[0][0] is _sre.NEGATE
            has_newline = _class_has_newline(argument)
            if has_newline is None or has_newline != negated:
                return False
        elif op is _sre.AT:
            if argument is _sre.AT_END_STRING or (argument is _sre.AT_END and not flags & re.MULTILINE):
                return False
            if argument not in (_sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING, _sre.AT_END, _sre.AT_BOUNDARY,
                                _sre.AT_NON_BOUNDARY):
                return False
        elif op is _sre.ASSERT or op is _sre.ASSERT_NOT:
            if not _local(list(argument[1]), flags):
                return False
        elif op is _sre.SUBPATTERN:
            _, add_flags, del_flags, body = argument
            if not _local(list(body), (flags | add_flags) & ~del_flags):
                return False
        elif _ATOMIC is not None and op is _ATOMIC:
            if not _local(list(argument), flags):
                return False
        elif op is _sre.BRANCH:
            if not all(_local(list(alternative), flags) for alternative in argument[1]):
                return False
        elif op in _REPEATS:
            if not _local(list(argument[2]), flags):
                return False
        elif op is _sre.GROUPREF:
            continue  # the text of a group, which is itself on one line
        elif op is _sre.GROUPREF_EXISTS:
            _, yes, no = argument
            if not _local(list(yes), flags) or (no is not None and not _local(list(no), flags)):
                return False
        else:
            return False
    return True
# --- a faster start for patterns that begin with look-arounds ---------------------------------------------------
# re skips ahead to where a match can start only when the pattern begins with a literal or a character class;
# a pattern that begins with (?<!of )\b... is tried at every position of the text. When every match must begin
# with one of a known set of characters, a leading look-ahead (?=[...]) on that set gives re its skip back, and
# changes nothing else: the look-ahead is true at every position where the pattern can match, and captures nothing.
_CATEGORY_ESCAPES = {
    _sre.CATEGORY_DIGIT: r"\d", _sre.CATEGORY_NOT_DIGIT: r"\D", _sre.CATEGORY_SPACE: r"\s",
    _sre.CATEGORY_NOT_SPACE: r"\S", _sre.CATEGORY_WORD: r"\w", _sre.CATEGORY_NOT_WORD: r"\W",
}
_ZERO_WIDTH = (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT)
_GLOBAL_FLAGS = re.compile(r"^\(\?[aiLmsux]+\)")


def _class_char(code: int) -> str:
    return re.escape(chr(code)) if chr(code) in "\\]^-[" or code < 32 else chr(code)


def _first_chars(items) -> list[str] | None:
    """Members of a character class that holds the first character of every match of items; None if unknown."""
    for op, argument in items:
        if op in _ZERO_WIDTH:
            continue
        if op is _sre.LITERAL:
            return [_class_char(argument)]
        if op is _sre.IN:
            members = []
            for kind, value in argument:
                if kind is _sre.LITERAL:
                    members.append(_class_char(value))
                elif kind is _sre.RANGE:
                    members.append(f"{_class_char(value[0])}-{_class_char(value[1])}")
                elif kind is _sre.CATEGORY and value in _CATEGORY_ESCAPES:
                    members.append(_CATEGORY_ESCAPES[value])
                else:
                    return None  # a negated class, and anything rarer
            return members
        if op is _sre.SUBPATTERN:
            _, add_flags, del_flags, sub = argument
            return None if add_flags or del_flags else _first_chars(sub)
        if op is _sre.BRANCH:
            members = []
            for alternative in argument[1]:
                first = _first_chars(alternative)
                if first is None:
                    return None
                members += first
            return members
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and argument[0] >= 1:
            return _first_chars(argument[2])
        return None
    return None  # the pattern can match without consuming a character


def first_char_hint(pattern: str, flags: int = 0) -> str:
    """The pattern with a leading look-ahead on the characters every match begins with, when it begins with a
    look-around and those are a few letters or digits (re then skips to them); else the pattern unchanged."""
    try:
        items = list(_sre_parse.parse(pattern, flags))
    except Exception:  # re.compile reports it
        return pattern
    if not items or items[0][0] not in _ZERO_WIDTH or items[0] == (_sre.AT, _sre.AT_BEGINNING):
        return pattern  # re already skips ahead (also to line starts), or the pattern is not of the kind that needs it
    members = _first_chars(items)
    if not members or not all(len(m) == 1 and m.isalnum() for m in members):
        return pattern  # only a few letters make the skip pay: spaces or classes such as \S are everywhere
    prefix = _GLOBAL_FLAGS.match(pattern)
    at = prefix.end() if prefix else 0
    return f"{pattern[:at]}(?=[{''.join(dict.fromkeys(members))}]){pattern[at:]}"


def whole_match_branches(pattern: str, flags: int = 0) -> list[str]:
    """The top-level alternatives of a pattern written as one group of them, `(?:A|B|C)`, each a pattern of its
    own: the pattern matches a whole string (fullmatch) exactly when one of them does. So a line rule can look
    for each alternative's literals alone and compile only the ones a document may hold. [pattern] itself when it
    is not such a group, or when an alternative alone does not parse to the very tree it has in the whole (a
    capturing group or a back-reference numbered otherwise, alternatives re's parser merges, inline flags)."""
    if not (pattern.startswith("(?:") and pattern.endswith(")")):
        return [pattern]
    branches, depth, start, index, in_class = [], 0, 3, 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]" or pattern[index - 1] == "[" or pattern[index - 2:index] == "[^"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0 and index != len(pattern) - 1:
                return [pattern]  # the first group closes before the end: not one group
        elif char == "|" and depth == 1:
            branches.append(pattern[start:index])
            start = index + 1
        index += 1
    branches.append(pattern[start:-1])
    if len(branches) < 2 or not _same_tree(pattern, branches, flags):
        return [pattern]
    return branches


def _same_tree(pattern: str, branches: list[str], flags: int) -> bool:
    """Whether re's parser reads the pattern as one non-capturing group of exactly these alternatives."""
    try:
        whole = _sre_parse.parse(pattern, flags)
        alone = [_sre_parse.parse(branch, flags) for branch in branches]
    except re.error:
        return False
    top = whole.data
    if len(top) == 1 and top[0][0] is _sre.SUBPATTERN:  # (the parser drops a bare non-capturing group itself)
        group, add_flags, del_flags, inner = top[0][1]
        if group is not None or add_flags or del_flags:
            return False
        top = inner.data
    if len(top) != 1 or top[0][0] is not _sre.BRANCH:
        return False
    items = top[0][1][1]
    return (len(items) == len(alone) and all(repr(item.data) == repr(one.data) for item, one in zip(items, alone))
            and all(one.state.groups == 1 and one.state.flags == whole.state.flags for one in alone))
