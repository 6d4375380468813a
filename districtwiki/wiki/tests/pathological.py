"""Texts built to find the worst case of each parser, diff and search step, each as large as the page limit.

Every kind here once cost (or would cost, in a naive implementation) time that grows faster than the text:
unclosed brackets and links, runs of every Markdown punctuation character, deep nesting, huge tables and
lists, many footnotes, headings, links and images, long words, combining characters, deep or aliased YAML.
"""

import string

# Each unit is repeated until the text reaches the size asked for.
UNITS = {
    "wikilink opens": "[[a",
    "wikilink pipes": "[[a|",
    "brackets": "[",
    "brackets and spaces": "[ ",
    "closing brackets": "]",
    "image opens": "![a",
    "bang brackets": "![",
    "link text opens": "[a](",
    "parentheses": "(",
    "emphasis stars": "*a",
    "emphasis underscores": "_a",
    "strong runs": "**a",
    "strikethrough": "~~a",
    "backticks": "`a",
    "angle brackets": "<",
    "autolinks": "<a",
    "ampersands": "&",
    "entities": "&amp;",
    "numeric entities": "&#1",
    "hashes": "#",
    "pipes": "|",
    "pipe lines": "|a\n",
    "quote markers": ">",
    "list markers": "- ",
    "ordered list markers": "1. ",
    "indented list": "  - a\n",
    "setext headings": "a\n=\n",
    "same headings": "# h\n",
    "fences": "```\n",
    "html blocks": "<div>\n",
    "link references": "[a]: b\n",
    "reference uses": "[a][b] ",
    "footnote references": "[^a]",
    "inline footnotes": "^[a]",
    "task items": "- [ ] a\n",
    "links": "[a](https://example.org/a) ",
    "wikilinks": "[[A]] ",
    "images": "![a](File:A.png) ",
    "long word": "a",
    "one word repeated": "district ",
    "combining marks": "a\u0301\u0302\u0303",
    "blank lines": "\n",
    "hyphenated words": "e-rate ",
    "hyphen chain": "a-",
    "six-part words": "a-b-c-d-e-f ",
}
UNITS.update({f"run of {char}": char for char in string.punctuation if char not in "[]()<>&#|`*_~!"})


def repeated(unit: str, size: int) -> str:
    return (unit * (size // len(unit.encode()) + 1)).encode()[:size].decode(errors="ignore")


def numbered(lines, size: int) -> str:
    """Lines from the generator, as many as fit in `size` bytes."""
    out, used = [], 0
    for line in lines:
        used += len(line.encode())
        if used > size:
            break
        out.append(line)
    return "".join(out)


def corpus(size: int) -> dict[str, str]:
    """Every pathological text, each at most `size` bytes long."""
    texts = {name: repeated(unit, size) for name, unit in UNITS.items()}
    columns = 200
    row = "|" + "a|" * columns + "\n"
    texts["wide table"] = row + "|" + "-|" * columns + "\n" + repeated(row, size - 2 * len(row))
    texts["many footnotes"] = numbered(
        (f"x[^{i}]\n\n[^{i}]: note {i}\n\n" for i in range(size)),
        size,
    )
    texts["many headings"] = numbered((f"## Heading {i}\n" for i in range(size)), size)
    texts["nested lists"] = numbered(("  " * i + "- a\n" for i in range(size)), size)
    texts["nested quotes"] = numbered(("> " * i + "a\n" for i in range(size)), size)
    texts["link label nesting"] = "[" * (size // 2 - 8) + "](a)" + "]" * 4
    texts["unclosed then closed"] = "[" * (size // 2) + "]" * (size // 2 - 1)
    texts["deep yaml"] = "---\nsources: " + "[" * (size // 2 - 40) + "\n---\nbody"
    aliases = numbered((f"b{i}: *x\n" for i in range(size)), size - 40)
    texts["yaml aliases"] = "---\na: &x [1]\n" + aliases + "---\nbody"
    return texts


def reordered(text: str) -> str:
    """The same words and lines in another order: the worst diff for a matcher that compares everything."""
    lines = text.split("\n")
    if len(lines) > 2:
        return "\n".join(lines[1::2] + lines[0::2])
    words = text.split(" ")
    return " ".join(reversed(words)) if len(words) > 2 else text[::-1]
