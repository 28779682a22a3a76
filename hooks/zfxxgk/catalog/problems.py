"""Problems found in editors' input, reported in Chinese with the canonical key.

Every check in the package returns ``Problem`` values instead of raising, so a
build collects every problem in every file and reports them in one run.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem: where it is, which field, what was found and what is allowed."""

    file: str                      # path relative to the project root, e.g. content/documents/a.md
    line: int | None               # 1-based line in the file, when known
    field: str | None              # canonical key, e.g. "published"
    message: str                   # Chinese first; says what was found and what is allowed
    severity: Severity = "error"

    def format(self) -> str:
        """One line: ``文件:行: 「中文名」(key) message``."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f"[{self.field}] " if self.field else ""
        label = "错误" if self.severity == "error" else "警告"
        return f"{label} {where}: {what}{self.message}"


@dataclass
class Problems:
    """An ordered collection of problems."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def sorted(self) -> list[Problem]:
        return sorted(self.items, key=lambda p: (p.file, p.line or 0, p.field or "", p.message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)
