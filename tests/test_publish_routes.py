"""The serving rules ``ecmgraph publish`` writes, run against the route table they are made from.

Each generated rule set (the site's ``.htaccess``, ``serving/nginx.conf``, ``serving/w3id.htaccess``) is parsed
and evaluated here, in Python, for a list of requests and ``Accept`` headers; the answer must be the one
:func:`ecmgraph.publish.routes.resolve` gives. No web server is needed.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from ecmgraph.namespaces import ECMID
from ecmgraph.publish import routes

BASE_URLS = ["https://example.org/ecm/", "https://example.org/", "http://localhost:8000/a/b/"]
ACCEPTS = [
    None,
    "*/*",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",  # a browser
    "text/turtle",
    "text/turtle;q=0.9, application/rdf+xml;q=0.5",
    "application/ld+json",
    'application/LD+JSON; profile="http://www.w3.org/ns/json-ld#compacted"',
    "application/n-triples",
    "text/html, application/n-triples;q=0.1",
    "application/json",
]
PATHS = [
    "id/authority/E10000028",
    "id/post/E10000028/dcs",
    "id/source/seed003/s3-3.5",
    "id/",
    "doc/x.html",
    "index.html",
]


def _apache(text: str, path: str, accept: str | None) -> tuple[int, str] | None:
    """mod_rewrite in a directory context, as far as the generated rules use it: RewriteBase, RewriteCond on
    %{HTTP_ACCEPT} (regex, [NC]), RewriteRule with $1, [R=303,L] and [R=302,L]."""
    base = ""
    conditions: list[bool] = []
    for line in text.splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if words[0] == "RewriteBase":
            base = words[1]
        elif words[0] == "RewriteCond":
            assert words[1] == "%{HTTP_ACCEPT}"
            flags = re.IGNORECASE if "[NC]" in words[3:] else 0
            conditions.append(re.search(words[2], accept or "", flags) is not None)
        elif words[0] == "RewriteRule":
            pattern, target, flags_text = words[1], words[2], words[3]
            met, conditions = all(conditions), []
            match = re.search(pattern, path)
            if not (met and match):
                continue
            status = int(re.search(r"R=(\d+)", flags_text).group(1))  # type: ignore[union-attr]
            location = re.sub(r"\$(\d)", lambda m: match.group(int(m.group(1))), target)
            if not urlsplit(location).scheme:
                location = base + location
            return status, location
    return None


def _nginx(text: str, path: str, accept: str | None) -> tuple[int, str] | None:
    """The generated location block: its regex with a named capture, the `set` and `if` lines in order, and its
    `return`; other locations only set types."""
    block = re.search(r"location ~ (\S+) \{\n(.*?)\n\}", text, re.S)
    assert block is not None
    match = re.search(block.group(1).replace("(?<", "(?P<"), "/" + path)  # PCRE names a group so
    if match is None:
        return None
    variables = dict(match.groupdict())
    for line in block.group(2).splitlines():
        line = line.strip()
        if found := re.fullmatch(r"set \$(\w+) (\S+);", line):
            variables[found.group(1)] = found.group(2)
        elif found := re.fullmatch(r'if \(\$http_accept ~\* "(.+)"\) \{ set \$(\w+) (\S+); \}', line):
            if re.search(found.group(1), accept or "", re.IGNORECASE):
                variables[found.group(2)] = found.group(3)
        elif found := re.fullmatch(r"return (\d+) (\S+);", line):
            location = re.sub(r"\$(\w+)", lambda m: variables[m.group(1)], found.group(2))
            return int(found.group(1)), location
    return None


def _expected(base_url: str, path: str, accept: str | None, absolute: bool) -> tuple[int, str] | None:
    answer = routes.resolve(path, accept)
    if answer is None:
        return None
    status, target = answer
    prefix = base_url if absolute else urlsplit(base_url).path
    return status, prefix + target


@pytest.mark.parametrize("base_url", BASE_URLS)
@pytest.mark.parametrize("accept", ACCEPTS)
def test_the_sites_htaccess_does_what_the_route_table_says(base_url: str, accept: str | None) -> None:
    text = routes.htaccess(base_url)
    for path in PATHS:
        assert _apache(text, path, accept) == _expected(base_url, path, accept, absolute=False), path


@pytest.mark.parametrize("base_url", BASE_URLS)
@pytest.mark.parametrize("accept", ACCEPTS)
def test_the_nginx_snippet_does_what_the_route_table_says(base_url: str, accept: str | None) -> None:
    text = routes.nginx_conf(base_url)
    base = urlsplit(base_url).path.lstrip("/")
    for path in PATHS:
        assert _nginx(text, base + path, accept) == _expected(base_url, path, accept, absolute=False), path


@pytest.mark.parametrize("accept", ACCEPTS)
def test_the_w3id_file_sends_the_permanent_iris_to_the_documents(accept: str | None) -> None:
    base_url = BASE_URLS[0]
    text = routes.w3id_htaccess(base_url)
    for path in PATHS:
        if path.startswith("id/"):
            assert _apache(text, path, accept) == _expected(base_url, path, accept, absolute=True), path
    assert _apache(text, "", accept) == (302, base_url)
    folder = urlsplit(str(ECMID)).path.strip("/").split("/")[0]
    assert f"'{folder}' folder" in text


def test_the_route_table_chooses_as_documented() -> None:
    assert routes.choose(None).extension == "html"
    assert routes.choose(ACCEPTS[2]).extension == "html"
    assert routes.choose("text/turtle").extension == "ttl"
    assert routes.choose("application/ld+json").extension == "jsonld"
    assert routes.choose("application/n-triples").extension == "nt"
    assert routes.resolve("id/", "text/turtle") is None
    assert routes.resolve("id/post/X/dcs", "text/turtle") == (303, "doc/post/X/dcs.ttl")


def test_every_document_extension_has_its_media_type_in_each_rule_set() -> None:
    apache = routes.htaccess(BASE_URLS[0])
    nginx = routes.nginx_conf(BASE_URLS[0])
    for route in routes.ROUTES[1:]:
        assert f"AddType {route.media_type} .{route.extension}" in apache
    for route in routes.ROUTES:
        assert f"{route.media_type} {route.extension};" in nginx
