"""The cross-site-scripting corpus that test_security_xss.py submits through every input a user controls.

Every payload that could run calls a marker the browser test watches for: `top.xss()` (a function its init
script defines), `alert(1)` (a dialog) or `document.title='XSS'`. Payloads never point at another host: a
page that tried to load one would reach for the network, which the test machine does not have.

Groups follow the ways sanitisers have failed before: raw script in many encodings, event handlers,
dangerous URL schemes, SVG and MathML, CSS, breaking out of an attribute or an enclosing element, Markdown
and wiki-link syntax that builds a tag or an attribute, and mutation XSS (markup that changes meaning when
a browser parses the sanitiser's output again). Front matter vectors are whole documents, kept apart.
"""

from dataclasses import dataclass

from districtwiki.wiki.titles import InvalidTitle, normalize_title

# "<script>top.xss()</script>" in base64, for data: URLs.
SCRIPT_B64 = "PHNjcmlwdD50b3AueHNzKCk8L3NjcmlwdD4="
# An SVG document whose onload runs the marker, in base64:
# <svg xmlns="http://www.w3.org/2000/svg" onload="top.xss()"/>
SVG_B64 = "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIG9ubG9hZD0idG9wLnhzcygpIi8+"


@dataclass(frozen=True)
class Vector:
    group: str
    payload: str


SCRIPT_TAGS = (
    "<script>top.xss()</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<ScRiPt>top.xss()</sCrIpT>",
    "<script >top.xss()</script >",
    "<script/x>top.xss()</script>",
    "<script\n>top.xss()</script\n>",
    "<script type=module>top.xss()</script>",
    "<script>document.title='XSS'</script>",
    "<script src=data:text/javascript,top.xss()></script>",
    f"<script src=data:text/javascript;base64,{SCRIPT_B64}></script>",
    "<<script>script>top.xss()<</script>/script>",
    "<scr<script>ipt>top.xss()</scr</script>ipt>",
    "%3Cscript%3Etop.xss()%3C%2Fscript%3E",
    "&lt;script&gt;top.xss()&lt;/script&gt;",
    "&#60;script&#62;top.xss()&#60;/script&#62;",
    "&#x3c;script&#x3e;top.xss()&#x3c;/script&#x3e;",
    "\\u003cscript\\u003etop.xss()\\u003c/script\\u003e",
    "\\x3cscript\\x3etop.xss()\\x3c/script\\x3e",
    "＜script＞top.xss()＜/script＞",
    "+ADw-script+AD4-top.xss()+ADw-/script+AD4-",
    "<script>top.xss()<!--",
    "<!--<script>-->top.xss()<!--</script>-->",
    "</script><script>top.xss()</script>",
    "</textarea><script>top.xss()</script>",
    "</title><script>top.xss()</script>",
    "<script\x0c>top.xss()</script>",
)

EVENT_HANDLERS = (
    "<img src=x onerror=top.xss()>",
    '<img src="x" onerror="alert(1)">',
    "<IMG SRC=x OnErRoR=top.xss()>",
    "<img/src=x/onerror=top.xss()>",
    "<img src=x onerror\n=top.xss()>",
    "<img src=x onerror=&#116;&#111;&#112;.xss()>",
    "<img src=x onerror=top['xss']()>",
    "<img src=x oNeRrOr=document.title='XSS'>",
    "<img src=`x`onerror=top.xss()>",
    "<svg onload=top.xss()>",
    "<svg/onload=alert(1)>",
    "<body onload=top.xss()>",
    "<body onpageshow=top.xss()>",
    "<iframe onload=top.xss()></iframe>",
    "<input autofocus onfocus=top.xss()>",
    "<select autofocus onfocus=top.xss()></select>",
    "<textarea autofocus onfocus=top.xss()></textarea>",
    "<x contenteditable autofocus onfocus=top.xss()>x</x>",
    "<details open ontoggle=top.xss()>",
    "<video><source onerror=top.xss()></video>",
    "<audio src=x onerror=top.xss()></audio>",
    "<marquee onstart=top.xss()>x</marquee>",
    "<div onmouseover=top.xss()>hover me</div>",
    "<a onclick=top.xss()>click me</a>",
    "<object data=x onerror=top.xss()></object>",
    "<style onload=top.xss()></style>",
    "<link rel=stylesheet href=x onerror=top.xss()>",
    "<input type=image src=x onerror=top.xss()>",
    "<form><button formaction=javascript:top.xss()>go</button></form>",
    "<div id=a onanimationstart=top.xss() class=x>",
    "<table background=javascript:top.xss()></table>",
    "<img src=x onerror=eval(atob('dG9wLnhzcygp'))>",
)

URL_SCHEMES = (
    '<a href="javascript:top.xss()">x</a>',
    '<a href="JaVaScRiPt:top.xss()">x</a>',
    '<a href=" javascript:top.xss()">x</a>',
    '<a href="java\nscript:top.xss()">x</a>',
    '<a href="java&#x09;script:top.xss()">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;top.xss()">x</a>',
    '<a href="&#x6A;avascript:top.xss()">x</a>',
    '<a href="javascript&colon;top.xss()">x</a>',
    '<a href="%6A%61%76%61%73%63%72%69%70%74:top.xss()">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html,<script>top.xss()</script>">x</a>',
    f'<a href="data:text/html;base64,{SCRIPT_B64}">x</a>',
    '<iframe src="javascript:top.xss()"></iframe>',
    '<iframe srcdoc="<script>top.xss()</script>"></iframe>',
    '<embed src="javascript:top.xss()">',
    '<object data="javascript:top.xss()"></object>',
    '<form action="javascript:top.xss()"><input type=submit></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:top.xss()">',
    '<base href="javascript:top.xss()//">',
    '<img src="javascript:top.xss()">',
    f'<img src="data:image/svg+xml;base64,{SVG_B64}">',
)

MARKDOWN = (
    "[plain](javascript:top.xss())",
    "[upper](JAVASCRIPT:top.xss())",
    "[spaced]( javascript:top.xss())",
    "[angled](<javascript:top.xss()>)",
    "[newline](\njavascript:top.xss())",
    "[entity colon](javascript&#58;top.xss())",
    "[entity j](&#106;avascript:top.xss())",
    "[named colon](javascript&colon;top.xss())",
    "[percent](java%0ascript:top.xss())",
    "[tab](java&#9;script:top.xss())",
    "[vb](vbscript:msgbox(1))",
    f"[data](data:text/html;base64,{SCRIPT_B64})",
    "[parens](javascript:top.xss&#40;&#41;)",
    '[title breakout](x "t\\" onmouseover=top.xss() x=\\"")',
    "[<img src=x onerror=top.xss()>](x)",
    "![image](javascript:top.xss())",
    f"![svg image](data:image/svg+xml;base64,{SVG_B64})",
    '![alt" onerror="top.xss()](x)',
    '![src breakout](<x" onerror="top.xss()>)',
    '![file breakout](<File:x.png" onerror="top.xss()>)',
    "![file scheme](File:javascript:top.xss())",
    "[reference one][xss-ref-1]\n\n[xss-ref-1]: javascript:top.xss()",
    "[reference two][xss-ref-2]\n\n[xss-ref-2]: <JavaScript:top.xss()>",
    "![reference image][xss-ref-3]\n\n[xss-ref-3]: javascript:top.xss()",
    '[reference title][xss-ref-4]\n\n[xss-ref-4]: x "\\" onmouseover=\\"top.xss()"',
    "<javascript:top.xss()>",
    "<JaVaScRiPt:top.xss()>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,top.xss()>",
    "<div>\n<script>top.xss()</script>\n</div>",
    "<details><summary>x</summary><img src=x onerror=top.xss()></details>",
    "| cell |\n| --- |\n| <img src=x onerror=top.xss()> |",
    "- [x] <img src=x onerror=top.xss()>",
    "`<script>top.xss()</script>`",
    "```html\n</code></pre><script>top.xss()</script>\n```",
    "# <img src=x onerror=top.xss()>",
    '## heading" onmouseover="top.xss()',
    "Footnote[^xss-note].\n\n[^xss-note]: [note](javascript:top.xss()) <img src=x onerror=top.xss()>",
    "[polyglot](javascript:/*--></title></style></textarea></script></xmp>"
    "<svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+top.xss()//'>)",
)

WIKILINKS = (
    "[[Page|<img src=x onerror=top.xss()>]]",
    '[[Page"onmouseover=top.xss()]]',
    '[[Page" onmouseover="top.xss()|label]]',
    "[[Page' onmouseover='top.xss()]]",
    '[[File:x.png|" onerror=top.xss() x="]]',
    '[[File:x.png" onerror="top.xss()]]',
    '[[File:x" onerror="top.xss() .png]]',
    "[[File:x.pdf|<img src=x onerror=top.xss()>]]",
    "[[javascript:top.xss()]]",
    "[[javascript:top.xss()|click]]",
    '[[Page#" onmouseover="top.xss()]]',
    "[[Page#<script>top.xss()</script>]]",
    "[[<script>top.xss()</script>]]",
    "[[Page|[x](javascript:top.xss())]]",
    "[[Page|</a><script>top.xss()</script>]]",
    '[[Category:X" onmouseover="top.xss()]]',
    '[[:Category:X" onmouseover="top.xss()]]',
    "[[Page&quot; onmouseover=&quot;top.xss()]]",
    "[[Page&#34;onmouseover=top.xss()]]",
    "[[data:text/html,top.xss()|data]]",
)

SVG_MATHML = (
    "<svg><script>top.xss()</script></svg>",
    '<svg><script href="data:,top.xss()"/></svg>',
    '<svg><a xlink:href="javascript:top.xss()"><text x=20 y=20>x</text></a></svg>',
    "<svg><animate onbegin=top.xss() attributeName=x dur=1s>",
    "<svg><a><animate attributeName=href values=javascript:top.xss() /><text y=9>x</text></a></svg>",
    "<svg><set attributeName=onmouseover to=top.xss()>",
    '<svg><foreignObject><iframe srcdoc="<script>top.xss()</script>"></iframe></foreignObject></svg>',
    "<svg><image href=x onerror=top.xss()></svg>",
    "<svg><title><img src=x onerror=top.xss()></title></svg>",
    "<svg><desc><![CDATA[</desc><script>top.xss()</script>]]></svg>",
    "<svg><style>@import 'javascript:top.xss()';</style></svg>",
    '<math href="javascript:top.xss()">click</math>',
    "<math><maction actiontype=statusline xlink:href=javascript:top.xss()>x</maction></math>",
    '<math><mi xlink:href="data:x,<script>top.xss()</script>">x</mi></math>',
    "<math><mtext><table><mglyph><style><img src=x onerror=top.xss()>",
)

CSS = (
    '<div style="width:expression(top.xss())">x</div>',
    '<div style="background:url(javascript:top.xss())">x</div>',
    '<div style="xss:expr/**/ession(top.xss())">x</div>',
    '<div style="behavior:url(x.htc)">x</div>',
    '<div style="-moz-binding:url(x.xml#xss)">x</div>',
    '<style>body{background:url("javascript:top.xss()")}</style>',
    '<style>@import "javascript:top.xss()";</style>',
    "<style>*{x:expression(top.xss())}</style>",
    '<link rel=stylesheet href="javascript:top.xss()">',
    "<div style=\"background-image:url('data:image/svg+xml,<svg onload=top.xss()>')\">x</div>",
)

ATTRIBUTE_BREAKOUTS = (
    '"><script>top.xss()</script>',
    "'><script>top.xss()</script>",
    '" onmouseover="top.xss()',
    "' onmouseover='top.xss()",
    '" autofocus onfocus="top.xss()',
    "' autofocus onfocus='top.xss() x='",
    '"><img src=x onerror=top.xss()>',
    "</textarea><img src=x onerror=top.xss()>",
    "</title><img src=x onerror=top.xss()>",
    "</option></select><img src=x onerror=top.xss()>",
    "--><img src=x onerror=top.xss()>",
    "]]><img src=x onerror=top.xss()>",
    "</style><script>top.xss()</script>",
    "&quot; onmouseover=&quot;top.xss()",
    "&#34; autofocus onfocus=&#34;top.xss()",
    "';top.xss();//",
    '";top.xss();//',
    '\\";top.xss();//',
    "{{constructor.constructor('top.xss()')()}}",
    "javascript:top.xss()",
    "JaVaScRiPt:alert(1)",
    "data:text/html,top.xss()",
    '" style="animation-name:x" onanimationstart="top.xss()',
)

MUTATION = (
    '<noscript><p title="</noscript><img src=x onerror=top.xss()>">',
    "<template><script>top.xss()</script></template>",
    "<template><img src=x onerror=top.xss()></template>",
    "<style><style/><img src=x onerror=top.xss()>",
    '<textarea><img title="</textarea><img src=x onerror=top.xss()>">',
    '<svg></p><style><a id="</style><img src=1 onerror=top.xss()>">',
    '<math><mi><table><mglyph><svg><mtext><textarea><path id="</textarea><img onerror=top.xss() src=1>">',
    "<form><math><mtext></form><form><mglyph><style></math><img src=x onerror=top.xss()>",
    '<xmp><p title="</xmp><img src=x onerror=top.xss()>">',
    '<iframe><p title="</iframe><img src=x onerror=top.xss()>">',
    '<noembed><p title="</noembed><img src=x onerror=top.xss()>">',
    '<noframes><p title="</noframes><img src=x onerror=top.xss()>">',
    '<svg><p><style><g title="</style><img src=x onerror=top.xss()>">',
    "<table><tr><td><svg><desc><td></desc><img src=x onerror=top.xss()></svg>",
    "<div><!--</div><img src=x onerror=top.xss()>-->",
    "<!--><img src=x onerror=top.xss()>-->",
    "<![CDATA[><img src=x onerror=top.xss()>]]>",
    '<a title="&#x27;&gt;&lt;img src=x onerror=top.xss()&gt;">x</a>',
    '<a href="&#x26;#x6A;avascript:top.xss()">x</a>',
    "<listing>&lt;img src=x onerror=top.xss()&gt;</listing>",
    '<select><template><style><!--</style><a rel="--></style></template></select>'
    '<img src=x onerror=top.xss()>">',
    "<plaintext><img src=x onerror=top.xss()>",
)

GROUPS: dict[str, tuple[str, ...]] = {
    "script tags": SCRIPT_TAGS,
    "event handlers": EVENT_HANDLERS,
    "url schemes": URL_SCHEMES,
    "markdown": MARKDOWN,
    "wikilinks": WIKILINKS,
    "svg and mathml": SVG_MATHML,
    "css": CSS,
    "attribute breakouts": ATTRIBUTE_BREAKOUTS,
    "mutation": MUTATION,
}

VECTORS: list[Vector] = [Vector(group, payload) for group, payloads in GROUPS.items() for payload in payloads]


# --- Front matter: whole documents, because the block must open the page --------------------------------

FRONT_MATTER_SAVED = (
    '---\nsources:\n  - {title: "<script>top.xss()</script>", url: "https://example.org/"}\n---\nOne.',
    '---\nsources:\n  - {title: "x", publisher: "<img src=x onerror=top.xss()>"}\n---\nSources two.',
    '---\nsources:\n  - {title: "x", url: "https://x\\" onmouseover=\\"top.xss()"}\n---\nSources three.',
    '---\nsources:\n  - {title: "x", date: "\\"><svg onload=top.xss()>"}\n---\nSources four.',
    '---\nsources:\n  - "<img src=x onerror=top.xss()>"\n---\nSources five.',
    '---\nsources:\n  - {title: "x", url: "https://example.org/</a><script>top.xss()</script>"}\n---\nSix.',
)

# Each refused document, and what the refusal says. The value typed is echoed back in some messages.
FRONT_MATTER_REFUSED = (
    (
        '---\nsources:\n  - {title: "x", url: "javascript:top.xss()"}\n---\nRefused one.',
        "has a `url` that is not http(s)",
    ),
    (
        '---\nsources:\n  - {title: "x", url: "JaVaScRiPt:top.xss()"}\n---\nRefused two.',
        "has a `url` that is not http(s)",
    ),
    (
        '---\nsources:\n  - {title: "x", url: " javascript:top.xss()"}\n---\nRefused three.',
        "has a `url` that is not http(s)",
    ),
    (
        '---\nsources:\n  - {title: "x", url: "data:text/html,<script>top.xss()</script>"}\n---\nFour.',
        "has a `url` that is not http(s)",
    ),
    ('---\naudience: ["<img src=x onerror=top.xss()>"]\n---\nRefused five.', "has “<img src=x"),
    ('---\n"<script>top.xss()</script>": 1\n---\nRefused six.', "`<script>top.xss()</script>` is not known"),
    ('---\nsources: !!python/object/apply:os.system ["true"]\n---\nSeven.', "is not valid YAML"),
)


# --- Titles ---------------------------------------------------------------------------------------------

TITLE_ONLY = (
    '" onmouseover="top.xss()',
    "' onfocus='top.xss()' autofocus='",
    '"/><img src=x onerror=top.xss()//',
    "javascript:top.xss()/subpage",
    "Javascript:alert(1)",
    "x&quot; onmouseover=&quot;top.xss()",
    "x&#39; onmouseover=&#39;top.xss()",
    "%22 onmouseover=%22top.xss()",
    "%3Cimg src=x onerror=top.xss()%3E",
    'File:x" onerror="top.xss().png',
    'Category:" onmouseover="top.xss()',
    "data:text/html;base64," + SCRIPT_B64,
)


def is_valid_title(text: str) -> bool:
    try:
        normalize_title(text)
    except InvalidTitle:
        return False
    return True


def title_vectors() -> list[str]:
    """Every payload that can be typed as a title: the corpus's own plus attribute-breaking titles."""
    return list(dict.fromkeys([*TITLE_ONLY, *(v.payload for v in VECTORS)]))


def packed(payloads: list[str], limit: int) -> list[str]:
    """Payloads joined with spaces into strings of at most `limit` characters (each payload kept whole)."""
    batches: list[str] = []
    for payload in (" ".join(p.split()) for p in payloads):
        if batches and len(batches[-1]) + 1 + len(payload) <= limit:
            batches[-1] += " " + payload
        else:
            batches.append(payload[:limit])
    return batches


def corpus_text() -> str:
    """Every vector in one page of Markdown, each in its own block so one cannot swallow the next."""
    return "\n\n".join(f"Vector {number}:\n\n{v.payload}" for number, v in enumerate(VECTORS, start=1))
