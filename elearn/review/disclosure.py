"""Disclosure control: which counts the review area may show (a pure rule, no database).

Every review page, chart, summary sentence, table, the printable report and every export take
their figures from here, so one set of rules decides what a reviewer can see. In plain English:

1. **Small counts are hidden.** A count from 1 to one below the threshold (the setting
   ``SMALL_NUMBER_THRESHOLD``, 5 unless changed) is hidden. Zero is shown.
2. **Hidden counts cannot be worked out from what is shown.** Where counts add up to a total
   (the answers to one question add up to everyone who answered it), the hidden counts in it must
   together come to zero or at least the threshold. If they do not, the next smallest shown count
   is hidden too, and so on; if nothing is left to hide, the total is hidden as well. A hidden
   total always has at least one hidden count beside it, so it cannot be added up either.
3. **Groups are protected against each other.** When figures are filtered to one group (a cohort
   or a community role), the same figures are worked out for every group of that kind, and rule 2
   is applied across the groups too (the groups add up to everyone). So comparing a filtered page
   with the unfiltered one, or adding up the other groups, never gives a hidden count.
4. **A combined figure** (for example "agree or strongly agree") is shown only when it can
   already be worked out from shown counts.
5. **A percentage** is shown only when the counts above and below the line are both shown.

6. **Tables that add up two ways** (weeks by yes and no, before and after by yes and no): in
   each of their rows and columns, a shown total never stands beside exactly one hidden count.

The rules repeat until nothing more needs hiding. Hidden counts are shown as "not shown" (never
"fewer than 5": a count hidden by rule 2 may be larger).
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

Key = Hashable
ALL = "all"  # the group key of the unfiltered figures


@dataclass(frozen=True)
class Sum:
    """``total`` is the sum of ``parts`` (all of them keys of the same cells).

    ``strict`` sums are the rows and columns of a table whose cells also add up another way
    (weeks by yes and no): there a lone hidden count, even a large one, could be worked out
    from its row and then give a small one away in its column, so a strict sum with a shown
    total never has exactly one hidden part.
    """

    total: Key
    parts: tuple[Key, ...]
    strict: bool = False


def protect(cells: Mapping[Key, int], sums: Iterable[Sum], threshold: int) -> dict[Key, int | None]:
    """The cells with every hidden count replaced by None (rules 1 and 2)."""
    sums = list(sums)
    order = {key: n for n, key in enumerate(cells)}
    hidden = {key for key, value in cells.items() if 0 < value < threshold}

    def smallest(keys: Iterable[Key]) -> Key | None:
        candidates = [k for k in keys if k not in hidden and cells[k] > 0]
        return min(candidates, key=lambda k: (cells[k], order[k])) if candidates else None

    changed = True
    while changed:
        changed = False
        for rule in sums:
            hidden_parts = [p for p in rule.parts if p in hidden]
            if rule.total not in hidden:
                small = 0 < sum(cells[p] for p in hidden_parts) < threshold
                alone = rule.strict and len(hidden_parts) == 1
                if small or alone:
                    next_key = smallest(rule.parts)
                    hidden.add(rule.total if next_key is None else next_key)
                    changed = True
            elif not hidden_parts:
                next_key = smallest(rule.parts)
                if next_key is not None:
                    hidden.add(next_key)
                    changed = True
    return {key: None if key in hidden else value for key, value in cells.items()}


def protect_groups(
    everyone: Mapping[Key, int],
    groups: Mapping[Hashable, Mapping[Key, int]],
    sums: Sequence[Sum],
    threshold: int,
) -> dict[Hashable, dict[Key, int | None]]:
    """Every group's cells and everyone's (under ``ALL``), protected together (rule 3).

    ``groups`` holds the same cells for every group of one kind (they must add up to
    ``everyone``); ``sums`` are the sums within one set of cells. What one group's page shows is
    exactly its column here, so a table of every group side by side shows nothing more.
    """
    cells: dict[Key, int] = {(ALL, k): v for k, v in everyone.items()}
    for group, values in groups.items():
        cells.update({(group, k): values.get(k, 0) for k in everyone})
    rules = [
        Sum((g, s.total), tuple((g, p) for p in s.parts), s.strict)
        for g in (ALL, *groups)
        for s in sums
    ]
    rules += [Sum((ALL, k), tuple((g, k) for g in groups)) for k in everyone]
    shown = protect(cells, rules, threshold)
    return {g: {k: shown[(g, k)] for k in everyone} for g in (ALL, *groups)}


def protect_group(
    everyone: Mapping[Key, int],
    groups: Mapping[Hashable, Mapping[Key, int]],
    chosen: Hashable,
    sums: Sequence[Sum],
    threshold: int,
) -> dict[Key, int | None]:
    """The chosen group's cells, protected together with every other group (rule 3)."""
    return protect_groups(everyone, groups, sums, threshold)[chosen]


def combined(
    shown: Mapping[Key, int | None], keys: Iterable[Key], rule: Sum | None = None
) -> int | None:
    """The sum of these cells, when it can be worked out from shown counts (rule 4): every one
    of them is shown, or the total of ``rule`` and every other part of it are."""
    keys = list(keys)
    values = [shown[k] for k in keys]
    if all(v is not None for v in values):
        return sum(v for v in values if v is not None)
    if rule is None:
        return None
    total = shown[rule.total]
    rest = [shown[p] for p in rule.parts if p not in keys]
    if total is None or any(v is None for v in rest):
        return None
    return total - sum(v for v in rest if v is not None)


def percent(part: int | None, whole: int | None) -> int | None:
    """A whole-number percentage, only when both counts are shown and the whole is not zero."""
    if part is None or whole is None or whole == 0:
        return None
    return round(100 * part / whole)
