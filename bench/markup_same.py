"""Whether two checkouts render the same HTML: the starter pages, the bench corpus and the CommonMark spec
examples, through `markup.render`.

    PYTHONPATH=<checkout A> python -m bench.markup_same dump a.json --spec commonmark-spec/spec.txt
    PYTHONPATH=<checkout B> python -m bench.markup_same dump b.json --spec commonmark-spec/spec.txt
    python -m bench.markup_same compare a.json b.json

`dump` writes each text's rendering (HTML, links, categories, redirect) and, for the spec examples, the
spec's HTML through the same sanitiser. `compare` counts identical renderings per set, and for the spec how
many examples each checkout passes (our heading ids left out) and which A passes and B does not.
"""

import argparse
import json
import re
import sys
from pathlib import Path

from bench.markup_speed import corpus_texts, starter_texts

SPEC_EXAMPLE = re.compile(r"^`{32} example\n(.*?)^\.\n(.*?)^`{32}$", re.S | re.M)
HEADING_ID = re.compile(r'\s+id="[^"]*"')


def dump(target: Path, spec: Path | None) -> None:
    from districtwiki.wiki import markup

    examples = [
        (text.replace("\u2192", "\t"), expected.replace("\u2192", "\t"))
        for text, expected in (SPEC_EXAMPLE.findall(spec.read_text()) if spec else [])
    ]
    sets = {
        "starter pages": starter_texts(),
        "bench corpus": corpus_texts(),
        "spec": [t for t, _ in examples],
    }

    def rendering(text: str) -> dict:
        rendered = markup.render(text)
        return {
            "html": rendered.html,
            "links": sorted(rendered.links),
            "categories": rendered.categories,
            "redirect": rendered.redirect_to,
        }

    out = {name: [rendering(text) for text in texts] for name, texts in sets.items()}
    out["spec expected"] = [markup.sanitize(expected) for _, expected in examples]
    target.write_text(json.dumps(out))


def passes(renderings: list[dict], expected: list[str]) -> list[bool]:
    return [
        HEADING_ID.sub("", rendering["html"]).strip() == HEADING_ID.sub("", want).strip()
        for rendering, want in zip(renderings, expected, strict=True)
    ]


def compare(first: Path, second: Path) -> None:
    a, b = json.loads(first.read_text()), json.loads(second.read_text())
    for name in ("starter pages", "bench corpus", "spec"):
        same = sum(x == y for x, y in zip(a[name], b[name], strict=True))
        print(f"{name}: {same}/{len(a[name])} identical")
    if a["spec"]:
        passed_a, passed_b = passes(a["spec"], a["spec expected"]), passes(b["spec"], a["spec expected"])
        lost = [
            str(number)
            for number, (x, y) in enumerate(zip(passed_a, passed_b, strict=True), start=1)
            if x and not y
        ]
        print(f"spec examples passed: {sum(passed_a)} by {first}, {sum(passed_b)} by {second}")
        print(f"passed by {first} and not by {second}: {', '.join(lost) or 'none'}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.markup_same", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dumping = commands.add_parser("dump")
    dumping.add_argument("target", type=Path)
    dumping.add_argument("--spec", type=Path, help="the CommonMark spec's spec.txt")
    comparing = commands.add_parser("compare")
    comparing.add_argument("first", type=Path)
    comparing.add_argument("second", type=Path)
    args = parser.parse_args(argv)
    if args.command == "dump":
        if args.spec and not args.spec.is_file():
            print(f"bench.markup_same: no file {args.spec}", file=sys.stderr)
            raise SystemExit(2)
        dump(args.target, args.spec)
    else:
        for path in (args.first, args.second):
            if not path.is_file():
                print(f"bench.markup_same: no file {path}", file=sys.stderr)
                raise SystemExit(2)
        compare(args.first, args.second)


if __name__ == "__main__":
    main()
