"""Prompt templates: files in `prompts/`, loaded and checked against what the code passes.

A template is `prompts/<name>.<lang>.txt` (lang `zh` or `en`) with a `[system]` and a `[user]`
section, written in `str.format` syntax (`{question}`; literal braces doubled). Loading fails with
a `PromptError` naming the variables a template lacks or has beyond what the code fills in, so a
template and the code can never silently disagree.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path

# The variables the code passes to each prompt: a template must use exactly these.
VARIABLES: dict[str, frozenset[str]] = {
    "answer": frozenset({"passages", "question", "cannot_answer"}),
    "condense": frozenset({"history", "question"}),
}
LANGUAGES = ("zh", "en")
_SECTION = re.compile(r"^\[(system|user)\]\s*$", re.M)


def default_folder() -> Path:
    return Path(__file__).resolve().parents[3] / "prompts"  # the repository root


class PromptError(ValueError):
    """A template is missing, malformed, or does not use exactly the variables the code passes."""

    def __init__(
        self,
        path: Path,
        message: str,
        missing: frozenset[str] = frozenset(),
        unexpected: frozenset[str] = frozenset(),
    ) -> None:
        self.path, self.missing, self.unexpected = path, missing, unexpected
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True)
class Template:
    name: str
    language: str
    system: str
    user: str
    path: Path

    def render(self, **values: str) -> tuple[str, str]:
        """(system, user) messages with `values` filled in; `values` must match the template."""
        given = frozenset(values)
        if given != VARIABLES[self.name]:
            raise PromptError(
                self.path,
                "render called with other variables than the template declares",
                missing=VARIABLES[self.name] - given,
                unexpected=given - VARIABLES[self.name],
            )
        return self.system.format(**values).strip(), self.user.format(**values).strip()


def variables(text: str, path: Path) -> set[str]:
    """The names of the `{fields}` of a format string."""
    names: set[str] = set()
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:  # a single brace: literal braces must be doubled
        raise PromptError(path, f"not a valid template ({exc}); write literal braces as {{{{ }}}}") from None
    for _, field, spec, conversion in parsed:
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion:
            raise PromptError(
                path, f"field {{{field}}} must be a plain name (no index, format or conversion)"
            )
        names.add(field)
    return names


def load_template(path: Path, name: str, language: str) -> Template:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PromptError(path, "prompt file not found") from None
    parts = _SECTION.split(text)
    sections = dict(zip(parts[1::2], parts[2::2], strict=True))
    if set(sections) != {"system", "user"} or len(parts) != 5:
        raise PromptError(path, "a prompt needs one [system] and one [user] section, each on its own line")
    used = variables(sections["system"], path) | variables(sections["user"], path)
    expected = VARIABLES[name]
    missing, unexpected = frozenset(expected - used), frozenset(used - expected)
    if missing or unexpected:
        detail = "; ".join(
            x
            for x in (
                f"missing variables: {', '.join(sorted(missing))}" if missing else "",
                f"unexpected variables: {', '.join(sorted(unexpected))}" if unexpected else "",
            )
            if x
        )
        raise PromptError(
            path,
            f"{detail} (the code passes: {', '.join(sorted(expected))})",
            missing=missing,
            unexpected=unexpected,
        )
    return Template(name, language, sections["system"], sections["user"], path)


@dataclass(frozen=True)
class Prompts:
    templates: dict[tuple[str, str], Template]

    def get(self, name: str, language: str) -> Template:
        """The template for a question language (zh-Hans, zh-Hant, en)."""
        return self.templates[(name, "zh" if language.startswith("zh") else "en")]


def load_prompts(folder: Path | None = None) -> Prompts:
    """Every template the code uses, checked; raises PromptError on the first that is wrong."""
    folder = folder or default_folder()
    templates = {
        (name, lang): load_template(folder / f"{name}.{lang}.txt", name, lang)
        for name in VARIABLES
        for lang in LANGUAGES
    }
    return Prompts(templates)


__all__ = ["LANGUAGES", "VARIABLES", "PromptError", "Prompts", "Template", "load_prompts"]
