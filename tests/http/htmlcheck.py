#!/usr/bin/env python3
"""Validation of the HTML pages Sportello serves.

check(html) returns a list of problems (empty when the page is fine):
  - HTML5 parse errors, as the WHATWG parsing algorithm defines them
    (html5lib; a page must parse with none, doctype included);
  - unknown elements (tidy, when installed: its "Error:" lines only);
  - duplicate id values; label for=, aria-labelledby= and
    aria-describedby= pointing at ids that do not exist;
  - <html> without lang, missing or empty <title>, no <meta charset>,
    not exactly one <main>;
  - <img> (and <input type=image>) without alt;
  - form controls without a label (<label for>, a wrapping <label>,
    aria-label or aria-labelledby) and buttons/links without a name;
  - headings out of order (the first is not h1, or a level is skipped);
  - anything our CSP would block or that is not progressive enhancement:
    inline <script> (a script without src, or with content), <style>
    elements, style= attributes, on*= event handlers, javascript: URLs.

Usage:
    from htmlcheck import check
    errors = check(body)

    python3 tests/http/htmlcheck.py FILE...   # check files, exit 1 on errors
    python3 tests/http/htmlcheck.py -         # check standard input
    python3 tests/http/htmlcheck.py --self-test

Dependencies: Python 3 standard library, Debian's python3-html5lib, and
Debian's tidy (optional). python3-html5lib installs into the system Python's
dist-packages; when this runs under another Python 3 (pyenv) that directory
is added at the end of sys.path (html5lib is pure Python).
"""
import re
import shutil
import subprocess
import sys

try:
    import html5lib
except ImportError:  # pragma: no cover - depends on the machine
    sys.path.append("/usr/lib/python3/dist-packages")
    try:
        import html5lib
    except ImportError:
        sys.exit("htmlcheck: html5lib is missing: apt-get install python3-html5lib")

LABELLED_INPUT_EXEMPT = {"hidden", "submit", "button", "reset", "image"}
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def _local(tag):
    """Tag name without the {namespace} html5lib adds to SVG and MathML."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(el):
    return "".join(el.itertext()).strip()


def _parse_errors(src):
    parser = html5lib.HTMLParser(
        strict=False, tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False
    )
    doc = parser.parse(src)
    errs = []
    for pos, code, data in parser.errors:
        line, col = pos if isinstance(pos, tuple) else (0, 0)
        detail = ", ".join(f"{k}={v}" for k, v in sorted((data or {}).items()))
        errs.append(f"parse error at line {line} col {col}: {code}" + (f" ({detail})" if detail else ""))
    return doc, errs


def _tidy_errors(src):
    """Unknown elements and the like, from tidy (warnings are ignored: tidy
    5.6 does not know ARIA 1.1 attributes and would cry wolf)."""
    tidy = shutil.which("tidy")
    if not tidy:
        return []
    try:
        res = subprocess.run(
            [tidy, "-q", "-e", "-utf8", "--show-warnings", "no"],
            input=src.encode("utf-8"), capture_output=True, timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [f"tidy failed: {exc}"]
    out = res.stderr.decode("utf-8", "replace")
    return [f"tidy: {l.strip()}" for l in out.splitlines() if " - Error: " in l]


def _walk(el, parents=()):
    """Yields (element, ancestors) in document order."""
    yield el, parents
    for child in el:
        if isinstance(child.tag, str):
            yield from _walk(child, parents + (el,))


def _desc(el):
    name = _local(el.tag)
    for attr in ("id", "name", "type", "href", "src"):
        if el.get(attr):
            return f'<{name} {attr}="{el.get(attr)}">'
    return f"<{name}>"


def _has_name(el, ids):
    if el.get("aria-label", "").strip():
        return True
    lb = el.get("aria-labelledby", "").split()
    return bool(lb) and all(i in ids for i in lb)


def check(src: str) -> list:
    """Returns the problems found in a complete HTML5 document."""
    if not re.match(r"\s*<!doctype html>", src, re.I):
        errors = ["document does not start with <!doctype html>"]
    else:
        errors = []
    doc, perrs = _parse_errors(src)
    errors += perrs
    errors += _tidy_errors(src)

    elements = list(_walk(doc))
    ids, labelled = {}, set()
    for el, _ in elements:
        i = el.get("id")
        if i is not None:
            if not i.strip() or re.search(r"\s", i):
                errors.append(f"invalid id {i!r} on {_desc(el)}")
            ids[i] = ids.get(i, 0) + 1
    errors += [f"duplicate id {i!r} ({n} times)" for i, n in ids.items() if n > 1]

    html_el = doc if _local(doc.tag) == "html" else doc.find("html")
    if html_el is None or not html_el.get("lang", "").strip():
        errors.append("<html> has no lang attribute")
    head = doc.find("head")
    title = head.find("title") if head is not None else None
    if title is None or not _text(title):
        errors.append("missing or empty <title>")
    if head is None or not any(m.get("charset") for m in head.iter("meta")):
        errors.append("missing <meta charset>")
    mains = [el for el, _ in elements if _local(el.tag) == "main"]
    if len(mains) != 1:
        errors.append(f"expected exactly one <main>, found {len(mains)}")

    for el, _ in elements:
        if _local(el.tag) == "label" and el.get("for"):
            if el.get("for") not in ids:
                errors.append(f'<label for="{el.get("for")}"> points at no element')
            labelled.add(el.get("for"))
        for attr in ("aria-labelledby", "aria-describedby", "aria-controls"):
            for ref in el.get(attr, "").split():
                if ref not in ids:
                    errors.append(f'{attr}="{ref}" on {_desc(el)} points at no element')

    last_level = 0
    for el, parents in elements:
        tag = _local(el.tag)
        in_svg = isinstance(el.tag, str) and el.tag.startswith("{")
        attrs = el.attrib
        for name, value in attrs.items():
            lname = name.lower() if isinstance(name, str) else ""
            if lname == "style":
                errors.append(f"style= attribute on {_desc(el)} (CSP forbids inline styles)")
            elif lname.startswith("on"):
                errors.append(f"{name}= handler on {_desc(el)} (CSP forbids inline scripts)")
            elif lname in ("href", "src", "action", "formaction") and \
                    value.strip().lower().startswith("javascript:"):
                errors.append(f"javascript: URL on {_desc(el)}")
        if tag == "script":
            if in_svg or not el.get("src") or _text(el):
                errors.append("inline <script> (CSP forbids inline scripts)")
        elif tag == "style":
            errors.append("<style> element (CSP forbids inline styles)")
        elif tag == "img" and not in_svg and "alt" not in attrs:
            errors.append(f"{_desc(el)} has no alt")
        elif tag in ("input", "select", "textarea"):
            itype = el.get("type", "text").lower() if tag == "input" else tag
            if itype == "image":
                if not el.get("alt", "").strip():
                    errors.append(f"{_desc(el)} has no alt")
            elif itype not in LABELLED_INPUT_EXEMPT:
                wrapped = any(_local(p.tag) == "label" for p in parents)
                if not (el.get("id") in labelled or wrapped or _has_name(el, ids)):
                    errors.append(f"form control {_desc(el)} has no label")
        elif tag == "button":
            if not (_text(el) or _has_name(el, ids) or el.get("title", "").strip()):
                errors.append(f"{_desc(el)} has no text or aria-label")
        elif tag == "a" and not in_svg and el.get("href") is not None:
            imgs_alt = any(i.get("alt", "").strip() for i in el.iter("img"))
            if not (_text(el) or imgs_alt or _has_name(el, ids)):
                errors.append(f"link {_desc(el)} has no text")
        elif tag in HEADINGS and not in_svg:
            level = HEADINGS[tag]
            if not _text(el):
                errors.append(f"empty <{tag}>")
            if last_level == 0 and level != 1:
                errors.append(f"first heading is <{tag}>, expected <h1>")
            elif last_level and level > last_level + 1:
                errors.append(f"heading <{tag}> after <h{last_level}> skips a level")
            last_level = level
    return errors


GOOD = """<!doctype html>
<html lang="it"><head><meta charset="utf-8"><title>Prova · Sportello</title>
<script src="/static/js/sportello.js" defer></script></head>
<body><main id="main"><h1>Prova</h1><h2>Sezione</h2>
<form method="post" action="/x"><input type="hidden" name="_csrf" value="t">
<label for="cf">Codice fiscale</label><input id="cf" name="cf" aria-describedby="cf-err">
<div id="cf-err">Errore</div>
<label>Nome <input name="nome"></label>
<select aria-label="Stato" name="s"><option>a</option></select>
<img src="/x.png" alt=""><svg aria-hidden="true"><use href="#x"></use></svg>
<button type="submit">Salva</button></form>
<a href="/">Home</a></main></body></html>"""

# Each bad document and a fragment of the error it must produce.
BAD = [
    (GOOD.replace(' lang="it"', ""), "no lang"),
    (GOOD.replace("<!doctype html>\n", ""), "doctype"),
    (GOOD.replace('<div id="cf-err">', '<div id="cf">'), "duplicate id 'cf'"),
    (GOOD.replace('<img src="/x.png" alt="">', '<img src="/x.png">'), "has no alt"),
    (GOOD.replace('<label for="cf">Codice fiscale</label>', ""), 'form control <input id="cf">'),
    (GOOD.replace(' aria-label="Stato"', ""), 'form control <select name="s">'),
    (GOOD.replace("<h2>", '<h2 style="color:red">'), "style= attribute"),
    (GOOD.replace("</main>", "<script>alert(1)</script></main>"), "inline <script>"),
    (GOOD.replace("</head>", "<style>p{}</style></head>"), "<style> element"),
    (GOOD.replace('<button type="submit">', '<button type="submit" onclick="x()">'), "onclick= handler"),
    (GOOD.replace('<a href="/">', '<a href="javascript:void(0)">'), "javascript: URL"),
    (GOOD.replace("<h2>Sezione</h2>", "<h3>Sezione</h3>"), "skips a level"),
    (GOOD.replace("</form>", "</div></form>"), "parse error"),
    (GOOD.replace("<h1>Prova</h1>", "<h1>Prova</h2>"), "parse error"),
    (GOOD.replace('aria-describedby="cf-err"', 'aria-describedby="nope"'), "points at no element"),
    (GOOD.replace("<title>Prova · Sportello</title>", ""), "<title>"),
    (GOOD.replace("<main", "<div").replace("</main>", "</div>"), "exactly one <main>"),
    (GOOD.replace(">Salva</button>", "></button>"), "has no text"),
    (GOOD.replace(">Home</a>", "></a>"), "link <a href=\"/\"> has no text"),
]


def self_test():
    """Prints TAP; a good page must pass and each bad one must be caught."""
    cases = [("good page has no errors", GOOD, None)] + [
        (f"catches {want}", doc, want) for doc, want in BAD
    ]
    failed = 0
    print(f"1..{len(cases)}")
    for n, (name, doc, want) in enumerate(cases, 1):
        errs = check(doc)
        ok = not errs if want is None else any(want in e for e in errs)
        if not ok:
            failed += 1
        print(f"{'ok' if ok else 'not ok'} {n} - {name}")
        if not ok:
            for e in errs or ["(no errors reported)"]:
                print(f"  # {e}")
    print(f"{len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) < 2:
        print(__doc__.split("\n\n")[2], file=sys.stderr)
        return 2
    status = 0
    for path in argv[1:]:
        src = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
        for e in check(src):
            print(f"{path}: {e}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
