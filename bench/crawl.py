#!/usr/bin/env python3
"""Crawl every same-site URL of a Broadsheet server and record each answer,
to show that a change left behaviour alone (Python 3 standard library only).

    bench/crawl.py run BINARY ARTICLES_DIR OUT      # serve, crawl, write OUT
    bench/crawl.py diff BEFORE AFTER                # exit 1 when they differ

`run` starts BINARY on ARTICLES_DIR at 127.0.0.1 on a free port (search
index in memory, no watching; CRAWL_PIN_CPU=1 pins it to one CPU, which
builds older than the explicit order of equally ranked search results need
for answers that do not vary), waits until search is ready, then follows
every link reachable from `/` and a fixed list of starting points: links in
HTML (href, src), feeds and the sitemap (href, <loc>), robots.txt
(Sitemap:), `…url` fields in JSON (JSON Feed, health), and the API's ids
and page counts. It adds error probes:
a 404, bad queries, HEAD, conditional requests (If-None-Match,
If-Modified-Since) and compressed answers. Every request sends the same
Host header, so absolute URLs in bodies do not depend on the port.

With CRAWL_CACHE_DIR=DIR the server keeps its cache there instead of
`--cache-dir off`: a large directory's library snapshot and body store, so
a crawl can show that pages read from them are the same bytes (run twice
with the same DIR: the second start reuses the snapshot).

OUT has one line per request, sorted: `METHOD URL [HEADERS] STATUS SHA256
CONTENT-TYPE`, the hash of the body as sent (still compressed when it is).
/metrics counts requests and times, so only its status is kept.
"""

import hashlib
import os
import html.parser
import http.client
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from collections import deque

HOST = "broadsheet.test"
MAX_URLS = 60_000
START = [
    "/", "/sitemap.xml", "/robots.txt", "/opensearch.xml", "/feed.xml", "/feed.json",
    "/api/articles", "/healthz", "/readyz", "/metrics", "/problems", "/about/deployment",
    "/sections", "/sources", "/archive", "/archive/undated", "/favicon.ico",
    "/search", "/search?q=the", "/search?q=the&sort=date", "/search?q=%22prime+minister%22",
    "/search?q=econom*+-football", "/search?q=title:election", "/api/search?q=president",
    "/api/search?q=the&sort=date&page=2", "/search/feed.xml?q=the", "/search/feed.json?q=oil",
]
# (method, path, headers): answers the crawl alone would not ask for.
PROBES = [
    ("GET", "/no/such/page", {}),
    ("GET", "/articles/no-such-article", {}),
    ("GET", "/api/articles/no-such-article", {}),
    ("GET", "/?page=abc", {}),
    ("GET", "/?page=0", {}),
    ("GET", "/?page=99999", {}),
    ("GET", "/api/articles?page=abc", {}),
    ("GET", "/api/search?q=", {}),
    ("GET", "/search?q=&section=nope", {}),
    ("GET", "/archive/2024/13", {}),
    ("GET", "/archive/abcd", {}),
    ("GET", "/sections/no-such-section", {}),
    ("GET", "/sitemaps/99.xml", {}),
    ("GET", "/static/no-such-file.css", {}),
    ("GET", "/articles/000_3EA0F84F1E61D9E9", {}),
    ("GET", "/articles/000_3ea0f84f1e61d9e9/", {}),
    ("GET", "/articles/../etc/passwd", {}),
    ("POST", "/", {}),
    ("HEAD", "/", {}),
    ("HEAD", "/articles/000_3ea0f84f1e61d9e9", {}),
    ("HEAD", "/feed.xml", {}),
    ("GET", "/", {"Accept-Encoding": "gzip"}),
    ("GET", "/", {"Accept-Encoding": "br"}),
    ("GET", "/", {"Accept-Encoding": "identity;q=0"}),
    ("GET", "/articles/000_3ea0f84f1e61d9e9", {"Accept-Encoding": "gzip"}),
    ("GET", "/api/articles", {"Accept-Encoding": "br"}),
    ("GET", "/no/such/page", {"Accept-Encoding": "gzip"}),
]
# Paths whose answers carry the time or a request count.
VOLATILE = {"/metrics"}
# Answers whose validators are replayed as conditional requests.
CONDITIONAL = ["/", "/articles/000_3ea0f84f1e61d9e9", "/feed.xml", "/sitemap.xml", "/api/articles"]


class Links(html.parser.HTMLParser):
    """Collects href and src attribute values (entities already decoded)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.extend(value for name, value in attrs if name in ("href", "src") and value)


def links_in(content_type, body):
    """Every URL the body names, as written."""
    text = body.decode("utf-8", "replace")
    if content_type.startswith("text/html"):
        parser = Links()
        parser.feed(text)
        return parser.found
    if "json" in content_type:
        try:
            return list(strings_in(json.loads(text)))
        except ValueError:
            return []
    if "xml" in content_type:
        found = re.findall(r'href="([^"]*)"', text) + re.findall(r"<loc>([^<]*)</loc>", text)
        return [html.unescape(url) for url in found]
    if content_type.startswith("text/plain"):
        return re.findall(r"^Sitemap: (\S+)$", text, re.MULTILINE)
    return []


def api_links(path, content_type, body):
    """The API's own links, which it gives as ids and page counts: every
    article's `/api/articles/{id}` and every page of an article list."""
    if not path.startswith("/api/") or "json" not in content_type:
        return []
    try:
        value = json.loads(body)
    except ValueError:
        return []
    if not isinstance(value, dict):
        return []
    found = [f"/api/articles/{urllib.parse.quote(item['id'])}" for item in value.get("articles", []) if "id" in item]
    if isinstance(value.get("pages"), int):
        parts = urllib.parse.urlsplit(path)
        query = [(name, item) for name, item in urllib.parse.parse_qsl(parts.query) if name != "page"]
        for page in range(1, value["pages"] + 1):
            found.append(f"{parts.path}?{urllib.parse.urlencode(query + [('page', page)])}")
    return found


def strings_in(value, key=""):
    """Every string in a JSON value under a key that names a URL (`url`,
    `feed_url`, `problems_url`, …)."""
    if isinstance(value, str):
        if key.lower().endswith("url"):
            yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item, key)
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from strings_in(item, name)


def same_site(page, link):
    """The path and query of `link` when it is on this site, else None."""
    if "{" in link or any(character.isspace() for character in link):  # an OpenSearch template
        return None
    url = urllib.parse.urljoin(f"http://{HOST}{page}", link)
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or parts.netloc != HOST:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Client:
    """One keep-alive connection, reopened when the server closes it."""

    def __init__(self, port):
        self.port = port
        self.connection = None

    def request(self, method, path, headers):
        for attempt in range(3):
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                self.connection.request(method, path, headers={"Host": HOST, **headers})
                response = self.connection.getresponse()
                body = response.read()
                if response.getheader("connection", "").lower() == "close":
                    self.connection.close()
                    self.connection = None
                return response.status, dict(response.getheaders()), body
            except (http.client.HTTPException, ConnectionError, socket.timeout):
                self.connection = None
                if attempt == 2:
                    raise


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(binary, articles):
    port = free_port()
    command = [
        binary, "serve", "--articles", articles, "--listen", f"127.0.0.1:{port}",
        "--cache-dir", os.environ.get("CRAWL_CACHE_DIR", "off"), "--watch", "off",
    ]
    # Set CRAWL_PIN_CPU=1 to run the server on one CPU: builds before the
    # search gave equally ranked results an explicit order (the library's)
    # returned them in index order, which two indexing threads vary.
    if os.environ.get("CRAWL_PIN_CPU") == "1" and shutil.which("taskset"):
        command = ["taskset", "--cpu-list", "0", *command]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = Client(port)
    deadline = time.time() + 300
    while time.time() < deadline:
        try:
            status, _, _ = client.request("GET", "/api/search?q=the", {})
            if status == 200:
                return server, client
        except OSError:
            client.connection = None
        time.sleep(0.2)
    server.kill()
    sys.exit("the server did not become ready (with search) within 300 s")


def record(lines, method, path, headers, status, response_headers, body):
    label = " ".join(f"{name}:{value}" for name, value in sorted(headers.items()))
    digest = "-" if path in VOLATILE else hashlib.sha256(body).hexdigest()
    content_type = response_headers.get("content-type", response_headers.get("Content-Type", "-"))
    lines.append(f"{method} {path} [{label}] {status} {digest} {content_type.replace(' ', '')}")


def header(headers, name):
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def crawl(client):
    lines, seen, queue, validators = [], set(START), deque(START), {}
    while queue and len(seen) < MAX_URLS:
        path = queue.popleft()
        status, headers, body = client.request("GET", path, {})
        record(lines, "GET", path, {}, status, headers, body)
        if path in CONDITIONAL:
            validators[path] = (header(headers, "etag"), header(headers, "last-modified"))
        content_type = header(headers, "content-type") or ""
        if path in VOLATILE or header(headers, "content-encoding"):
            continue
        for link in links_in(content_type, body) + api_links(path, content_type, body):
            target = same_site(path, link)
            if target is not None and target not in seen:
                seen.add(target)
                queue.append(target)
    probes = list(PROBES)
    for path, (etag, modified) in sorted(validators.items()):
        if etag:
            probes.append(("GET", path, {"If-None-Match": etag}))
            probes.append(("GET", path, {"If-None-Match": '"not-the-tag"'}))
        if modified:
            probes.append(("GET", path, {"If-Modified-Since": modified}))
    for method, path, headers in probes:
        status, response_headers, body = client.request(method, path, headers)
        record(lines, method, path, headers, status, response_headers, body)
    return sorted(lines)


def run(binary, articles, out):
    server, client = start(binary, articles)
    try:
        started = time.time()
        lines = crawl(client)
    finally:
        server.terminate()
        server.wait(timeout=30)
    with open(out, "w", encoding="utf-8") as file:
        file.write("\n".join(lines) + "\n")
    print(f"{len(lines)} answers in {time.time() - started:.0f} s written to {out}")


def diff(before, after):
    def read(name):
        with open(name, encoding="utf-8") as file:
            return {line.rsplit(" ", 3)[0]: line for line in file.read().splitlines()}

    old, new = read(before), read(after)
    differences = 0
    for key in sorted(old.keys() | new.keys()):
        if old.get(key) != new.get(key):
            differences += 1
            print(f"- {old.get(key, '(not requested)')}\n+ {new.get(key, '(not requested)')}")
    print(f"{len(old)} answers before, {len(new)} after, {differences} differ")
    return 1 if differences else 0


def main(arguments):
    if len(arguments) == 4 and arguments[0] == "run":
        return run(*arguments[1:])
    if len(arguments) == 3 and arguments[0] == "diff":
        return diff(*arguments[1:])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
