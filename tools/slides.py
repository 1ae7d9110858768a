"""Slides for the room: one reveal.js deck per chapter, made from the notebook itself.

    python tools/slides.py tag chapters/*.ipynb      # tag the cells for slides (once)
    python tools/slides.py build --out _build/slides  # one deck per chapter of _toc.yml

Which cells are on the slides is decided by cell tags in the notebooks, so an author can
add or remove them by hand (JupyterLab: the property inspector, "Cell Tags"):

- `slide`: the cell starts a new slide;
- `slide-continue`: the cell goes on the same slide as the tagged cell before it.

`tag` picks them by a rule (see `auto_tags`): the chapter's title and section headings
(`#`, `##`), the cells with a labelled display equation, the cells with a figure, and
the short code cells (at most 8 lines) that compute a labelled equation (their first
line cites it, `# (eq-ch1-grad) ...`); a short code cell right after a tagged cell joins
its slide. Nothing inside an exercise or its solution is tagged. `tag` leaves a notebook
that already has slide tags alone (the author's choice wins); `--force` re-applies the
rule. A notebook without any slide tag is built with the rule applied in memory.

On a slide, a markdown cell shows its headings, its bulleted lists and its display
equations, typeset by MathJax and numbered as the website numbers them, "(1.15)"; the
prose stays in the chapter (a cell of prose only, tagged by hand, shows its paragraphs). A code cell shows its source (if at most 8 lines) and its
outputs: figures embedded as images, text cut to 10 lines. Solutions never appear (a
tagged cell between `{solution-start}` and `{solution-end}` is left out).

The decks load reveal.js and MathJax from the pinned npm copies (tools/web/, installed by
`npm ci`: `make web-assets`), copied next to the decks into `_assets/`: they work
offline, from file:// too. tests/test_slides.py checks them, in Chromium as well.
"""

import argparse
import base64
import html
import json
import re
import shutil
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from paths import ROOT  # noqa: E402
from web_assets import INSTALL_HINT, NODE_MODULES, installed_version  # noqa: E402

NEW, CONTINUE = "slide", "slide-continue"
SLIDE_TAGS = {NEW, CONTINUE}
SHORT_CODE = 8  # lines: a code cell this short shows its source on a slide
TEXT_LINES = 10  # lines of a text output shown on a slide
ASSETS = "_assets"
# What a deck needs of each npm package (relative to the package's folder).
DECK_PARTS = {
    "reveal.js": ["dist/reveal.js", "dist/reveal.css", "dist/theme/white.css",
                  "dist/theme/fonts/source-sans-pro"],
    "mathjax": ["es5/tex-chtml-full.js", "es5/output/chtml/fonts/woff-v2"],
}

# MyST in the chapters' markdown
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$(?:[ \t]*\(([A-Za-z0-9_:-]+)\))?", re.S)
HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
BULLET = re.compile(r"^[-*]\s+(.*)$")
FENCE = re.compile(r"^(```+|:::+)\s*\{([A-Za-z0-9_-]+)\}")
CITES_EQUATION = re.compile(r"^#\s*\((eq-[A-Za-z0-9_-]+)\)")
ROLE = re.compile(r"\{([A-Za-z0-9_:-]+)\}`([^`]*)`")
INLINE_MATH = re.compile(r"(?<![\\$])\$([^$\n]+?)\$")


class SlidesError(Exception):
    """A problem the user can fix (shown without a traceback)."""


# --- which cells -------------------------------------------------------------------------

def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def _lines(cell):
    return [line for line in _source(cell).strip().splitlines() if line.strip()]


def _has_figure(cell):
    return any("image/png" in out.get("data", {}) or "image/svg+xml" in out.get("data", {})
               for out in cell.get("outputs", []))


def in_solution(cells):
    """For each cell, whether it is an exercise or part of a solution: a cell with an
    ```{exercise} or ```{solution} block, and every cell from the one that opens a
    ```{solution-start} to the one with its {solution-end}."""
    inside, result = False, []
    for cell in cells:
        text = _source(cell) if cell["cell_type"] == "markdown" else ""
        if "{solution-start}" in text:
            inside = True
        result.append(inside or bool(re.search(r"\{(exercise|solution)\}", text)))
        if "{solution-end}" in text:
            inside = False
    return result


def auto_tags(cells):
    """The rule of `tag`: for each cell, NEW, CONTINUE or None (see the module's text)."""
    hidden = in_solution(cells)
    result, previous_tagged = [], False
    for cell, skip in zip(cells, hidden):
        tag = None
        if not skip and "remove-cell" not in _tags(cell):
            if cell["cell_type"] == "markdown":
                text = _source(cell)
                heading = re.search(r"^#{1,2}\s", text, re.M)
                labelled = any(label for _, label in DISPLAY_MATH.findall(text))
                if heading or labelled:
                    tag = NEW
            elif cell["cell_type"] == "code":
                lines = _lines(cell)
                short = 0 < len(lines) <= SHORT_CODE
                if _has_figure(cell):
                    tag = NEW
                elif short and previous_tagged:
                    tag = CONTINUE
                elif short and CITES_EQUATION.match(lines[0]):
                    tag = NEW
        result.append(tag)
        previous_tagged = tag is not None
    return result


def slide_tags(cells):
    """The slide tags the notebook has, or (none at all) the rule's, for each cell."""
    tagged = [next((t for t in _tags(c) if t in SLIDE_TAGS), None) for c in cells]
    return tagged if any(tagged) else auto_tags(cells)


def tag_notebook(path, force=False):
    """Tag a notebook's cells by the rule, in place. Leaves a notebook that has slide
    tags alone unless force. Returns the number of tagged cells, or None if left alone."""
    nb = _read(path)
    cells = nb["cells"]
    if not force and any(t in SLIDE_TAGS for c in cells for t in _tags(c)):
        return None
    changed = False
    for cell, tag in zip(cells, auto_tags(cells)):
        old = _tags(cell)
        new = [t for t in old if t not in SLIDE_TAGS] + ([tag] if tag else [])
        if new != old:
            changed = True
            if new:
                cell.setdefault("metadata", {})["tags"] = new
            else:
                cell["metadata"].pop("tags", None)
    if changed:
        # the layout nbformat (and JupyterLab) write: one space of indent, a newline
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return sum(1 for c in cells for t in _tags(c) if t in SLIDE_TAGS)


def _read(path):
    path = Path(path)
    if not path.is_file():
        raise SlidesError(f"{path}: no such notebook")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise SlidesError(f"{path} is not a notebook (invalid JSON: {error})") from None


# --- numbers as the website shows them ---------------------------------------------------

def chapter_numbers(toc=ROOT / "_toc.yml"):
    """file (e.g. 'chapters/01_smallest_network') -> its number on the website: the
    chapters of the numbered parts, counted on across parts (jupyter-book's multitoc
    numbering)."""
    numbers, count = {}, 0
    for part in yaml.safe_load(Path(toc).read_text())["parts"]:
        for chapter in part.get("chapters", []):
            if part.get("numbered"):
                count += 1
                numbers[chapter["file"]] = count
    return numbers


def equation_numbers(cells, chapter):
    """label -> '1.15': the labelled display equations numbered in the page's order."""
    labels = [label for c in cells if c["cell_type"] == "markdown"
              for _, label in DISPLAY_MATH.findall(_source(c)) if label]
    return {label: f"{chapter}.{i}" if chapter else str(i) for i, label in enumerate(labels, 1)}


# --- markdown and code as slide HTML -------------------------------------------------------

def inline(text, numbers):
    """A line of MyST markdown as HTML: $math$ for MathJax, roles as their text, **bold**,
    *emphasis*, `code`."""
    def role(match):
        name, body = match.groups()
        if name == "eq":
            return f"({numbers[body]})" if body in numbers else body
        shown = re.sub(r"\s*<[^>]*>$", "", body).replace("%s", "").strip()
        return shown or body
    text = ROLE.sub(role, text)
    parts = re.split(r"(`[^`]+`|\$[^$\n]+?\$)", text)
    out = []
    for part in parts:
        if part.startswith("`") and part.endswith("`") and len(part) > 1:
            out.append(f"<code>{html.escape(part[1:-1])}</code>")
        elif part.startswith("$") and part.endswith("$") and len(part) > 1:
            out.append(r"\(" + html.escape(part[1:-1], quote=False) + r"\)")
        else:
            part = html.escape(part, quote=False)
            part = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", part)
            part = re.sub(r"(?<![\w*])\*(?!\s)(.+?)\*(?!\w)", r"<em>\1</em>", part)
            out.append(part)
    return "".join(out)


def markdown_slide(text, numbers):
    """A markdown cell on a slide: its headings, bulleted lists and display equations
    (numbered), in order; a cell with none of these (prose only, tagged by hand) shows its
    paragraphs. MyST directives (```{...} blocks) are left out."""
    out, fence, bullets, paragraphs = [], None, [], [[]]
    pieces = re.split(r"(\$\$.+?\$\$(?:[ \t]*\([A-Za-z0-9_:-]+\))?)", text, flags=re.S)
    for piece in pieces:
        math = DISPLAY_MATH.fullmatch(piece)
        if math:
            if fence is None:
                _flush(out, bullets, numbers)
                tex, label = math.group(1).strip(), math.group(2)
                tag = rf" \tag{{{numbers[label]}}}" if label in numbers else ""
                data = f' data-label="{html.escape(label)}"' if label else ""
                out.append(f'<div class="equation"{data}>\\[' + html.escape(tex, quote=False) + tag + "\\]</div>")
            continue
        for line in piece.splitlines():
            stripped = line.strip()
            if fence is None and FENCE.match(stripped):
                fence = FENCE.match(stripped).group(1)
                _flush(out, bullets, numbers)
                continue
            if fence is not None:
                if stripped == fence:
                    fence = None
                continue
            heading, bullet = HEADING.match(line), BULLET.match(stripped)
            if heading:
                _flush(out, bullets, numbers)
                level = min(len(heading.group(1)), 3)
                out.append(f"<h{level}>{inline(heading.group(2), numbers)}</h{level}>")
            elif bullet and not line.startswith("    "):
                bullets.append(bullet.group(1))
            elif bullets and line.startswith("  ") and stripped:
                bullets[-1] += " " + stripped
            else:
                _flush(out, bullets, numbers)
                if stripped:
                    paragraphs[-1].append(stripped)
                elif paragraphs[-1]:
                    paragraphs.append([])
    _flush(out, bullets, numbers)
    if not out:  # a cell of prose only, tagged by hand: its paragraphs
        out = [f"<p>{inline(' '.join(lines), numbers)}</p>" for lines in paragraphs if lines]
    return "\n".join(out)


def _flush(out, bullets, numbers):
    """Close a bulleted list collected so far."""
    if bullets:
        items = "".join(f"<li>{inline(b, numbers)}</li>" for b in bullets)
        out.append(f"<ul>{items}</ul>")
        bullets.clear()


def code_slide(cell):
    """A code cell on a slide: its source (if short) and its outputs: images embedded,
    text cut to TEXT_LINES lines. Widgets (which need a kernel) are left out."""
    out = []
    lines = _source(cell).strip().splitlines()
    if 0 < len([line for line in lines if line.strip()]) <= SHORT_CODE:
        out.append(f'<pre class="code"><code>{html.escape(chr(10).join(lines))}</code></pre>')
    meta = cell.get("metadata", {}).get("mystnb", {})
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "image/png" in data:
            png = data["image/png"]
            png = "".join(png) if isinstance(png, list) else png
            alt = html.escape(meta.get("image", {}).get("alt", "a figure"))
            out.append(f'<img class="figure" alt="{alt}" src="data:image/png;base64,{png.strip()}">')
        elif "image/svg+xml" in data:
            svg = data["image/svg+xml"]
            svg = "".join(svg) if isinstance(svg, list) else svg
            encoded = base64.b64encode(svg.encode()).decode()
            out.append(f'<img class="figure" alt="a figure" src="data:image/svg+xml;base64,{encoded}">')
        elif output.get("output_type") == "stream" or "text/plain" in data:
            if "application/vnd.jupyter.widget-view+json" in data:
                continue
            text = output.get("text", data.get("text/plain", ""))
            text = "".join(text) if isinstance(text, list) else text
            shown = text.rstrip("\n").splitlines()
            if len(shown) > TEXT_LINES:
                shown = shown[:TEXT_LINES] + ["..."]
            out.append(f'<pre class="output">{html.escape(chr(10).join(shown))}</pre>')
    caption = meta.get("figure", {}).get("caption")
    if caption and _has_figure(cell):
        out.append(f'<p class="caption">{inline(caption, {})}</p>')
    return "\n".join(out)


# --- the deck ------------------------------------------------------------------------------

STYLE = """
.reveal { font-size: 30px; }
.reveal h1 { font-size: 1.9em; } .reveal h2 { font-size: 1.4em; } .reveal h3 { font-size: 1.15em; }
.reveal pre { width: 100%; box-shadow: none; font-size: 0.6em; margin: 0.4em 0; }
.reveal pre.code code { max-height: none; background: #f5f5f5; padding: 0.5em; }
.reveal pre.output { background: none; color: #444; }
.reveal img.figure { max-height: 55vh; margin: 0.3em auto; display: block; }
.reveal p.caption { font-size: 0.6em; color: #555; }
.reveal .equation { font-size: 0.95em; margin: 0.4em 0; }
.reveal .slides section { text-align: left; }
.reveal .footer { font-size: 0.5em; color: #777; }
"""


def deck(nb, title, numbers):
    """The deck's HTML (its assets in ./_assets/, relative to the deck)."""
    cells = nb["cells"]
    hidden = in_solution(cells)
    slides, current = [], None
    for cell, tag, skip in zip(cells, slide_tags(cells), hidden):
        if not tag or skip:
            continue
        body = (markdown_slide(_source(cell), numbers) if cell["cell_type"] == "markdown"
                else code_slide(cell) if cell["cell_type"] == "code" else "")
        if not body.strip():
            continue
        if tag == NEW or current is None:
            current = []
            slides.append(current)
        current.append(body)
    sections = "\n".join(f"<section>\n{chr(10).join(parts)}\n</section>" for parts in slides)
    reveal = f"{ASSETS}/reveal.js@{installed_version('reveal.js')}/dist"
    mathjax = f"{ASSETS}/mathjax@{installed_version('mathjax')}/es5"
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} (slides)</title>
<link rel="stylesheet" href="{reveal}/reveal.css">
<link rel="stylesheet" href="{reveal}/theme/white.css">
<style>{STYLE}</style>
<script>
window.MathJax = {{
  tex: {{inlineMath: [["\\\\(", "\\\\)"]], displayMath: [["\\\\[", "\\\\]"]]}},
  chtml: {{fontURL: "{mathjax}/output/chtml/fonts/woff-v2"}},
  options: {{enableMenu: false}}
}};
</script>
<script src="{mathjax}/tex-chtml-full.js"></script>
<script src="{reveal}/reveal.js"></script>
</head>
<body>
<div class="reveal"><div class="slides">
{sections}
</div></div>
<script>
Reveal.initialize({{hash: true, slideNumber: "c/t", width: 1280, height: 800, margin: 0.05}})
  .then(function () {{ return MathJax.startup.promise; }})
  .then(function () {{ Reveal.layout(); document.body.dataset.typeset = "done"; }});
</script>
</body>
</html>
"""


def copy_assets(out):
    """The parts of reveal.js and MathJax that the decks load, into out/_assets/."""
    for name, parts in DECK_PARTS.items():
        version = installed_version(name)
        if version is None:
            raise SlidesError(f"{name} is not installed in {NODE_MODULES}: {INSTALL_HINT} (`make slides` runs it)")
        for part in parts:
            source, target = NODE_MODULES / name / part, out / ASSETS / f"{name}@{version}" / part
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target, dirs_exist_ok=True)
            else:
                shutil.copy2(source, target)


def available():
    """Whether the npm copies the decks need are installed."""
    return all(installed_version(name) for name in DECK_PARTS)


def toc_chapters(root=ROOT):
    """The chapter notebooks of _toc.yml, in order."""
    return [root / f"{file}.ipynb" for file in chapter_numbers(root / "_toc.yml")]


def build(notebooks, out, numbers_by_stem=None):
    """One deck per notebook, out/NN_name.html, and the assets. Returns the decks."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    copy_assets(out)
    if numbers_by_stem is None:
        numbers_by_stem = {Path(f).name: n for f, n in chapter_numbers().items()}
    decks = []
    for path in notebooks:
        path = Path(path)
        nb = _read(path)
        title = next((HEADING.match(line).group(2) for c in nb["cells"] if c["cell_type"] == "markdown"
                      for line in _source(c).splitlines() if HEADING.match(line)), path.stem)
        chapter = numbers_by_stem.get(path.stem)
        numbers = equation_numbers(nb["cells"], chapter)
        target = out / f"{path.stem}.html"
        target.write_text(deck(nb, title, numbers), encoding="utf-8")
        decks.append(target)
    return decks


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    tag = commands.add_parser("tag", help="tag the cells for slides by the rule (in place)")
    tag.add_argument("notebooks", nargs="+", type=Path)
    tag.add_argument("--force", action="store_true", help="re-apply the rule, replacing the slide tags")
    make = commands.add_parser("build", help="build one deck per notebook")
    make.add_argument("notebooks", nargs="*", type=Path, help="default: the chapters of _toc.yml")
    make.add_argument("--out", type=Path, default=ROOT / "_build" / "slides")
    args = parser.parse_args(argv)
    try:
        if args.command == "tag":
            for path in args.notebooks:
                count = tag_notebook(path, force=args.force)
                print(f"{path}: " + ("has slide tags already, left alone (--force re-tags)"
                                     if count is None else f"{count} cells tagged for slides"))
        else:
            start = time.perf_counter()
            decks = build(args.notebooks or toc_chapters(), args.out)
            for target in decks:
                print(f"{target} ({target.stat().st_size / 1e6:.1f} MB)")
            print(f"{len(decks)} decks built in {time.perf_counter() - start:.1f} s")
    except SlidesError as error:
        sys.exit(f"slides: {error}")


if __name__ == "__main__":
    main()
