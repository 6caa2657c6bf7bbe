"""The `ip-assistant` command line. It parses arguments and calls the library; errors become
one-line messages and exit code 1 or 2, never tracebacks. The ask path never imports gradio."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

BUNDLED_ARTICLES = Path(__file__).resolve().parents[1] / "docs" / "articles"
SELECTOR_MODEL = Path(__file__).resolve().parent / "selection" / "selector.json"

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


class CliError(Exception):
    pass


def _settings(args: argparse.Namespace) -> Any:
    from assistant.settings import Settings

    overrides: dict[str, Any] = {}
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = args.data_dir
    settings = Settings(**overrides)
    for dotted in ("server.host", "server.port"):
        value = getattr(args, dotted.split(".")[1], None)
        if value is not None:
            settings = settings.with_overrides(**{dotted: value})
    return settings


def _progress_bar(enabled: bool) -> Any:
    if not enabled:
        return None
    from tqdm import tqdm

    bar: dict[str, Any] = {}

    def progress(done: int, total: int, name: str) -> None:
        if "bar" not in bar:
            bar["bar"] = tqdm(total=total, unit="doc", file=sys.stderr, leave=False)
        bar["bar"].n = done
        bar["bar"].set_postfix_str(name[-30:], refresh=True)
        if done >= total:
            bar["bar"].close()

    return progress


def cmd_ingest(args: argparse.Namespace) -> int:
    from index.ingest import ingest
    from index.refresher import lower_priority

    settings = _settings(args)
    lower_priority(settings.ingest_nice)  # questions answered on this machine go first
    paths = [Path(p) for p in args.paths] or [BUNDLED_ARTICLES]
    report = ingest(
        paths,
        settings,
        prune=args.prune,
        rebuild=args.rebuild,
        progress=_progress_bar(not args.json and sys.stderr.isatty()),
    )
    from assistant.dictionary import prepare

    prepare(
        settings.data_dir, now=True
    )  # the dictionary's compact cache, so the first question does not build it
    if args.json:
        print(report.model_dump_json(indent=2))
    else:
        print(report.summary())
        for item in report.rejected:
            print(f"  rejected {item.path}: {item.reason}", file=sys.stderr)
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.pipeline import Assistant

    settings = _settings(args)
    _ensure_index(settings, quiet=True)
    ans = Assistant(settings).answer(args.question)
    print(ans.model_dump_json(indent=2) if args.json else _listing(ans))
    return 0 if ans.error is None else 2


def _listing(ans: Any) -> str:
    """The answer as the CLI shows it, with its confidence (not for input it cannot take)."""
    from assistant.render import answer_listing
    from assistant.render.ui_text import answer_text

    if ans.error is not None:
        return str(answer_listing(ans))
    return f"{answer_listing(ans)}\n\n{answer_text(ans.language)['confidence']}: {ans.confidence:.2f}"


def cmd_eval(args: argparse.Namespace) -> int:
    from assistant import evaluation
    from assistant.pipeline import Assistant

    settings = _settings(args)
    if args.squad:
        from index.ingest import ingest_records

        path = Path(args.squad)
        docs, items = evaluation.squad_items(path, args.limit)
        squad_settings = settings.with_overrides(data_dir=settings.data_dir / f"squad-{path.stem}")
        report = ingest_records(docs, squad_settings, progress=_progress_bar(sys.stderr.isatty()))
        print(f"indexed {path.name}: {report.summary()}", file=sys.stderr)
        assistant = Assistant(squad_settings)
        answers, times = evaluation.run(items, assistant.answer)
        scores = evaluation.score_squad(items, answers)
    else:
        items = evaluation.load_questions(Path(args.file))
        _ensure_index(settings, quiet=True)
        assistant = Assistant(settings)
        answers, times = evaluation.run(items, assistant.answer)
        scores = _score_file(items, answers, args.kinds)
    times.sort()
    scores["p50_ms"] = round(times[len(times) // 2], 1) if times else 0
    scores["p95_ms"] = round(times[int(len(times) * 0.95) - 1], 1) if times else 0
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            for item, ans in zip(items, answers, strict=True):
                f.write(json.dumps(evaluation.result_row(item, ans), ensure_ascii=False) + "\n")
    print(json.dumps(scores, ensure_ascii=False, indent=2))
    if args.kinds:
        from assistant.evaluation_kinds import format_table

        print(format_table(scores["kinds"]))
    return 0


def _score_file(items: list[dict[str, Any]], answers: list[Any], kinds: bool) -> dict[str, Any]:
    from assistant import evaluation, evaluation_kinds

    return evaluation_kinds.score_run(items, answers) if kinds else evaluation.score_dev(items, answers)


def cmd_train(args: argparse.Namespace) -> int:
    from assistant.selection.build import retrain
    from assistant.selection.report import table

    if not (args.cmrc or args.drcd or args.sets):
        raise CliError("train needs --cmrc, --drcd or --sets")
    settings = _settings(args)
    done = retrain(
        args.cmrc,
        args.drcd,
        cache=args.cache or settings.data_dir / "training",
        out=args.out,
        domain=args.sets,
        articles=args.articles,
        seed=args.seed,
        rebuild=args.rebuild,
    )
    print(table(done.figures))
    print(f"\nAt answer.min_confidence's default ({done.figures['default']['threshold']}):\n")
    print(table(done.figures["default"]))
    print(f"\n{done.examples} examples, {done.seconds:.0f} s; model written to {args.out}")
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from index.ingest import remove_documents
    from index.store import Store

    settings = _settings(args)
    if args.action == "remove":
        if not args.ids:
            raise CliError("name the document ids to remove")
        removed = remove_documents(args.ids, settings)
        missing = sorted(set(args.ids) - set(removed))
        print(f"removed {len(removed)}" + (f"; not found: {', '.join(missing)}" if missing else ""))
        return 0 if not missing else 1
    store = Store(settings)
    if args.action == "list":
        records = store.document_records()
        if args.json:
            print(json.dumps(records, ensure_ascii=False, indent=2))
        for doc_id, meta in sorted(records.items()):
            if not args.json:
                print(
                    f"{doc_id}\t{meta.get('language', '')}\t{meta.get('published', '')}\t"
                    f"{meta.get('chunks', 0)} chunks\t{meta.get('title', '')}"
                )
        return 0
    if not args.ids:
        raise CliError("name the document id to show")
    found = store.document(args.ids[0])
    if found is None:
        raise CliError(f"no document {args.ids[0]!r}")
    text, meta = found
    print(json.dumps(meta, ensure_ascii=False, indent=2))
    print()
    print(text)
    return 0


def _ensure_index(settings: Any, quiet: bool = False) -> None:
    """Index the bundled articles on first use (incremental: unchanged articles cost nothing)."""
    from index.store import Store

    if settings.chroma.host is None and not (settings.data_dir / "chroma").exists():
        from index.ingest import ingest

        report = ingest([BUNDLED_ARTICLES], settings)
        if not quiet:
            print(f"indexed the bundled articles: {report.summary()}", file=sys.stderr)
        return
    if not quiet:
        Store(settings)


def _settings_with_bundled(args: argparse.Namespace) -> Any:
    """The settings, the bundled articles indexed first unless --no-ingest."""
    from index.ingest import ingest

    settings = _settings(args)
    if not args.no_ingest:
        report = ingest([BUNDLED_ARTICLES], settings)
        print(f"bundled articles: {report.summary()}", file=sys.stderr)
    return settings


def cmd_chat(args: argparse.Namespace) -> int:
    settings = _settings_with_bundled(args)
    try:
        import assistant.server.web  # noqa: F401  (the chat needs gradio; without it, the terminal)
    except ImportError:
        return _repl(settings)
    if args.cli:
        return _repl(settings)
    from assistant.server import serve

    return int(serve(settings) or 0)


def cmd_serve(args: argparse.Namespace) -> int:
    settings = _settings_with_bundled(args)
    from assistant.server import serve

    return int(serve(settings, api_only=args.api_only) or 0)


def cmd_feedback(args: argparse.Namespace) -> int:
    from assistant.feedback import FeedbackStore

    settings = _settings(args)
    store = FeedbackStore.in_data_dir(settings.data_dir)
    if args.out and args.out != "-":
        with open(args.out, "w", encoding="utf-8") as out:
            count = store.export_jsonl(out)
    else:
        count = store.export_jsonl(sys.stdout)
    print(f"exported {count} feedback rows", file=sys.stderr)
    return 0


def cmd_hash_password(args: argparse.Namespace) -> int:
    import getpass

    from assistant.server.middleware.auth import hash_password

    if args.stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            raise CliError("the passwords differ")
    print(hash_password(password))
    return 0


def _repl(settings: Any) -> int:
    from assistant.models import Turn
    from assistant.pipeline import Assistant

    assistant = Assistant(settings)
    history: list[Turn] = []
    print("Ask about Chinese IP policy (empty line or Ctrl-D to quit).")
    while True:
        try:
            question = input("? ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not question:
            return 0
        ans = assistant.answer(question, history)
        print(_listing(ans) + "\n")
        history.append(Turn(question=question, answer=ans.answer, searched=ans.searched_question))


def _server_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", help="interface to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default 7860)")
    p.add_argument("--no-ingest", action="store_true", help="do not index the bundled articles first")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ip-assistant", description=__doc__)
    parser.add_argument("--data-dir", type=Path, help="data folder (IP_ASSISTANT_DATA_DIR)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="index article files or folders")
    p.add_argument("paths", nargs="*", help="files or folders (default: the bundled articles)")
    p.add_argument("--prune", action="store_true", help="remove documents whose files are gone")
    p.add_argument("--rebuild", action="store_true", help="drop the index and rebuild (e.g. new embedder)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("ask", help="answer one question")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print the Answer as JSON")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("eval", help="score a question file (dev.jsonl format) or a SQuAD file")
    p.add_argument("file", nargs="?", help="questions in the dev.jsonl format")
    p.add_argument("--squad", help="a SQuAD-style file (CMRC 2018, DRCD): open-domain protocol")
    p.add_argument("--limit", type=int, help="first N questions of a SQuAD file")
    p.add_argument("--out", help="write one JSON line per question here")
    p.add_argument("--kinds", action="store_true", help="score a kinds set (tests/kinds.jsonl) per kind")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("train", help="rebuild the answer selector from questions with gold answers")
    p.add_argument("--cmrc", type=Path, help="CMRC 2018 file (SQuAD format, Simplified)")
    p.add_argument("--drcd", type=Path, help="DRCD file (SQuAD format, Traditional)")
    p.add_argument("--sets", type=Path, nargs="*", default=[], help="question sets (dev.jsonl format)")
    p.add_argument("--articles", type=Path, default=BUNDLED_ARTICLES, help="the articles --sets ask about")
    p.add_argument(
        "--cache", type=Path, help="where indexes and examples are kept (default DATA_DIR/training)"
    )
    p.add_argument("--out", type=Path, default=SELECTOR_MODEL, help="model file to write")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--rebuild", action="store_true", help="ask every question again (features changed)")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("docs", help="list, show or remove indexed documents")
    p.add_argument("action", choices=["list", "show", "remove"])
    p.add_argument("ids", nargs="*")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("chat", help="index the bundled articles and open the chat")
    _server_flags(p)
    p.add_argument("--cli", action="store_true", help="chat in the terminal instead of the browser")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("serve", help="run the HTTP API and the chat (or the API alone)")
    _server_flags(p)
    p.add_argument("--api-only", action="store_true", help="the HTTP API without the chat (no gradio)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("feedback", help="export the chat's feedback")
    p.add_argument("action", choices=["export"])
    p.add_argument("--out", "-o", help="JSONL file to write (default: standard output)")
    p.set_defaults(func=cmd_feedback)

    p = sub.add_parser("hash-password", help="bcrypt hash of a password, for server.users")
    p.add_argument("--stdin", action="store_true", help="read the password from standard input")
    p.set_defaults(func=cmd_hash_password)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "eval" and not args.file and not args.squad:
        parser.error("eval needs a question file or --squad FILE")
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        print(f"ip-assistant: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # library errors become one line, not a traceback
        from index.embedders import EmbedderError
        from index.ingest import IngestLocked
        from index.readers import UnreadableFile
        from index.store import StoreError

        if isinstance(exc, IngestLocked | StoreError | EmbedderError | UnreadableFile | ValueError | OSError):
            print(f"ip-assistant: {exc}", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())
