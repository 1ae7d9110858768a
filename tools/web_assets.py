"""The assets the website loads from a CDN, and their pinned local copies.

The pages load MathJax, require.js and the Jupyter widget manager from jsDelivr's npm
mirror, at the exact versions _config.yml names. `npm ci` in tools/web/ (run by the
Makefile, from package-lock.json) installs the same versions into tools/web/node_modules/.
This module maps a CDN URL to its local copy (the browser tests route requests to it)
and lists what `make book-offline` ships (tools/offline.py).
"""

import json
import re
from pathlib import Path

from paths import ROOT

WEB = ROOT / "tools" / "web"
NODE_MODULES = WEB / "node_modules"
CDN = "https://cdn.jsdelivr.net/npm/"
# name@version/path, the name possibly scoped (@scope/name)
_CDN_PATH = re.compile(r"(?P<name>(?:@[^/@]+/)?[^/@]+)@(?P<version>[^/]+)/(?P<path>.*)")
# What the offline site needs of each package (relative to the package's folder).
OFFLINE_PARTS = {
    "mathjax": ["es5"],
    "requirejs": ["require.js"],
    "@jupyter-widgets/html-manager": ["dist"],
}
INSTALL_HINT = "cd tools/web && npm ci (or `make test`, which runs it)"


def installed_version(name):
    """The version of an npm package in tools/web/node_modules, or None."""
    manifest = NODE_MODULES / name / "package.json"
    if not manifest.exists():
        return None
    return json.loads(manifest.read_text())["version"]


def locked_versions():
    """name -> version of the direct dependencies, as package-lock.json pins them."""
    lock = json.loads((WEB / "package-lock.json").read_text())
    direct = json.loads((WEB / "package.json").read_text())["dependencies"]
    return {name: lock["packages"][f"node_modules/{name}"]["version"] for name in direct}


def local_copy(url):
    """The local file for a jsDelivr npm URL, if its package is installed at exactly that
    version (a range such as mathjax@3 never matches: the site must name the version),
    else None."""
    if not url.startswith(CDN):
        return None
    match = _CDN_PATH.fullmatch(url[len(CDN):].split("?")[0].split("#")[0])
    if not match or installed_version(match["name"]) != match["version"]:
        return None
    path = (NODE_MODULES / match["name"] / match["path"]).resolve()
    package = (NODE_MODULES / match["name"]).resolve()
    if package not in path.parents or not path.is_file():
        return None
    return path


CONTENT_TYPES = {
    ".js": "application/javascript", ".css": "text/css", ".json": "application/json",
    ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".otf": "font/otf",
    ".eot": "application/vnd.ms-fontobject", ".svg": "image/svg+xml",
}


def content_type(path):
    return CONTENT_TYPES.get(path.suffix, "application/octet-stream")
