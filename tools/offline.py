"""Make a built website self-contained, for a room without network: `make book-offline`.

    python tools/offline.py _build/html --out _build/offline/nnbook --zip _build/nnbook-offline.zip

Copies the site to --out, puts the pinned npm copies of what the pages load from the CDN
(MathJax with its fonts, require.js, the widget manager with its fonts; see
tools/web_assets.py) into `_vendor/`, and points every page at them with relative URLs.
The copies are the same bytes as the CDN's files, so the pages' integrity hashes stay.
Search (searchindex.js), the theme and its icon fonts are already part of the site.
With --zip, packs the result as one zip whose single folder is the site: unzip it and
run `python3 -m http.server -d nnbook 8000`, then open http://localhost:8000.
"""

import argparse
import os
import re
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from web_assets import CDN, INSTALL_HINT, NODE_MODULES, OFFLINE_PARTS, installed_version  # noqa: E402

VENDOR = "_vendor"
# a jsDelivr npm URL (up to the package's version) or the bare npm root
_CDN_URL = re.compile(re.escape(CDN) + r"(?:((?:@[^/@\"']+/)?[^/@\"']+)@([^/\"'\s]+))?")


def vendor(site):
    """Copy the npm packages' needed parts into site/_vendor/<name>@<version>/."""
    for name, parts in OFFLINE_PARTS.items():
        version = installed_version(name)
        if version is None:
            sys.exit(f"{name} is not installed in {NODE_MODULES}: {INSTALL_HINT}")
        for part in parts:
            source = NODE_MODULES / name / part
            target = site / VENDOR / f"{name}@{version}" / part
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.map"))
            else:
                shutil.copy2(source, target)


def rewrite(site):
    """Point every page's CDN URLs at site/_vendor/, relative to the page. Returns the
    URLs that have no local copy (none, or the offline site is incomplete)."""
    missing = set()
    for page in site.rglob("*.html"):
        if VENDOR in page.relative_to(site).parts:
            continue
        to_root = os.path.relpath(site, page.parent).replace(os.sep, "/")

        def local(match):
            name, version = match.group(1), match.group(2)
            if name is None:  # the widget manager's CDN root for other widget packages
                return f"{to_root}/{VENDOR}/"
            if not (site / VENDOR / f"{name}@{version}").is_dir():
                missing.add(match.group(0))
                return match.group(0)
            return f"{to_root}/{VENDOR}/{name}@{version}"

        text = page.read_text(encoding="utf-8")
        new = _CDN_URL.sub(local, text)
        if new != text:
            page.write_text(new, encoding="utf-8")
    return missing


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built website (_build/html)")
    parser.add_argument("--out", type=Path, required=True, help="where to write the offline site")
    parser.add_argument("--zip", type=Path, help="also pack it as this zip file")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").exists():
        sys.exit(f"{args.site} is not a built website (no index.html): run `make book` first")
    shutil.rmtree(args.out, ignore_errors=True)
    shutil.copytree(args.site, args.out, ignore=shutil.ignore_patterns(".buildinfo", ".doctrees"))
    vendor(args.out)
    missing = rewrite(args.out)
    if missing:
        sys.exit(f"no local copy for {sorted(missing)}: pin these versions in tools/web/package.json")
    if args.zip:
        args.zip.unlink(missing_ok=True)
        shutil.make_archive(str(args.zip.with_suffix("")), "zip", args.out.parent, args.out.name)
        print(f"packed {args.zip} ({args.zip.stat().st_size / 1e6:.1f} MB)")
    print(f"offline site in {args.out}")


if __name__ == "__main__":
    main()
