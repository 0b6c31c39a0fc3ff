#!/usr/bin/env python3
"""oaskit probe and Schemathesis side by side on the probe target (tests/probe_target).

Each run gets a fresh target (the unsafe requests change its data). Requests are counted at the
server (GET /__requests, a path outside the spec), time is wall time of the tool's process.
A seeded bug counts as found when a finding (oaskit) or a failure (Schemathesis) names it; a
finding that names no seeded bug, or any finding on the correct twin, is a false alarm.

usage: probe_bugs.py OASKIT TARGET RUNS
"""

import base64
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

OASKIT, TARGET, RUNS = sys.argv[1], sys.argv[2], int(sys.argv[3])
SPEC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "tests", "probe_target", "openapi.yaml"))
KEY = "probe-target-key-3f9a"
BUGS = json.loads(subprocess.run([TARGET, "--bugs-json"], capture_output=True, text=True, check=True).stdout)

# How a Schemathesis failure shows each bug: (operations, check, test on the failure). A test reads
# the request the failing case sent (`query`, `body`: what makes a request-side bug that bug) or
# the failure's text (its message, status and response). Written against Schemathesis 4.32's
# check names; the operations are those where the target shows the bug (the `also` places of
# --bugs-json). A bug Schemathesis never reports cannot match.
ITEM = ("GET /items/{itemId}", "PUT /items/{itemId}", "DELETE /items/{itemId}")
WRITE = ("POST /items", "PUT /items/{itemId}")
READS = ("GET /items", "GET /items/{itemId}", "GET /search") + WRITE


def number(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def query_int(f, name):
    value = number((f["query"] or {}).get(name)) if isinstance(f["query"], dict) else None
    return value


def field(f, name):
    return f["body"].get(name) if isinstance(f["body"], dict) else None


def wrong_price(f):
    price = field(f, "price")
    return isinstance(f["body"], dict) and "price" in f["body"] and (
        number(price) is None or price != int(price))


def too_many_tags(f):
    tags = field(f, "tags")
    return isinstance(tags, list) and (len(tags) > 5 or any(
        isinstance(t, str) and len(t) > 16 for t in tags))


ST_MATCH = {
    "LimitAboveMaxCrashes": ("GET /items", "not_a_server_error", lambda f: (query_int(f, "limit") or 0) > 50),
    "LimitBelowMinAccepted": ("GET /items", "negative_data_rejection", lambda f: query_int(f, "limit") is not None and query_int(f, "limit") < 1),
    "LimitAtMaxRejected": ("GET /items", "positive_data_acceptance", lambda f: query_int(f, "limit") == 50),
    "UnknownStatusAccepted": ("GET /items", "negative_data_rejection", lambda f: isinstance(f["query"], dict) and "status" in f["query"] and f["query"]["status"] not in ("active", "archived")),
    "ArchivedPriceAsString": (READS, "response_schema_conformance", lambda f: re.search(r'"[0-9.]+\\?" is not of type \\?"integer', f["text"])),
    "NegativeOffsetCrashes": ("GET /items", "not_a_server_error", lambda f: (query_int(f, "offset") or 0) < 0),
    "NextLinkBrokenWithoutLimit": ("GET /items", "", lambda f: "limit=&" in f["request"]),
    "LongSearchResets": ("GET /search", "", lambda f: re.search(r"(onnection|reset|aborted|RemoteDisconnected)", f["text"])),
    "EvenItemsLackPrice": ("GET /items/{itemId}", "response_schema_conformance", lambda f: re.search(r'price\W+ is a required property', f["text"])),
    "ItemThreeInvalidJson": ("GET /items/{itemId}", "", lambda f: re.search(r"(JSON|json) deserialization|Expecting", f["text"])),
    "NotFoundAsHtml": (ITEM, "content_type_conformance", lambda f: "text/html" in f["text"]),
    "CreateWithoutLocation": ("POST /items", "", lambda f: "Location" in f["text"]),
    "MissingFieldIs422": (WRITE, "status_code_conformance", lambda f: "Received: 422" in f["text"]),
    "WrongTypeAccepted": (WRITE, "negative_data_rejection", wrong_price),
    "TooManyTagsAccepted": (WRITE, "negative_data_rejection", too_many_tags),
    "MalformedJsonCrashes": (WRITE, "not_a_server_error", lambda f: not isinstance(f["body"], dict)),
    "CreateWithoutKey": ("POST /items", "ignored_auth", lambda f: True),
    "StatsForbiddenNot401": ("GET /stats", "status_code_conformance", lambda f: "Received: 403" in f["text"]),
    "StatsAcceptsAnyKey": ("GET /stats", "ignored_auth", lambda f: True),
    "NameAtMaxRejected": ("PUT /items/{itemId}", "positive_data_acceptance", lambda f: isinstance(field(f, "name"), str) and len(field(f, "name")) == 40),
    "UpdateLost": ("PUT /items/{itemId}", "", lambda f: re.search(r"(update|stale)", f["text"])),
    "DeleteNotEffective": ("DELETE /items/{itemId}", "use_after_free", lambda f: True),
    "NoContentWithContentType": ("DELETE /items/{itemId}", "", lambda f: re.search(r"204.*(Content-Type|body)", f["text"])),
    "HeadMismatch": ("HEAD /health", "", lambda f: True),
    "MethodNotAllowedWithoutAllow": ("", "unsupported_method", lambda f: "Allow" in f["text"]),
}


def start(correct):
    args = [TARGET] + (["--correct"] if correct else [])
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    url = proc.stdout.readline().strip()
    return proc, url


def served(url):
    with urllib.request.urlopen(url + "/__requests") as r:
        return json.load(r)["requests"]


def run_oaskit(url, seed):
    started = time.monotonic()
    out = subprocess.run(
        [OASKIT, "probe", SPEC, "--base-url", url, "--include-unsafe", "--api-key", KEY,
         "--seed", str(seed), "--format", "json"],
        capture_output=True, text=True)
    elapsed = time.monotonic() - started
    findings = json.loads(out.stdout)["findings"]
    return findings, elapsed


def oaskit_bugs(findings):
    found, unexplained = set(), []
    for f in findings:
        text = f.get("message", "") + f.get("help", "")
        hit = False
        for b in BUGS:
            places = [(b["operation"], b["rule"])] + [tuple(p) for p in b["also"]]
            if (f["operation"], f["rule"]) in places:
                hit = True
                if (f["operation"], f["rule"]) == (b["operation"], b["rule"]) and b["needle"] in text:
                    found.add(b["bug"])
        if not hit:
            unexplained.append(f"{f['operation']} {f['rule']}: {f['message'][:120]}")
    return found, unexplained


def run_schemathesis(url, seed, report):
    started = time.monotonic()
    subprocess.run(
        ["schemathesis", "run", SPEC, "--url", url, "-H", f"X-API-Key: {KEY}", "--checks", "all",
         "--seed", str(seed), "--report", "ndjson", "--report-ndjson-path", report,
         "--no-color"],
        capture_output=True, text=True, cwd=os.path.dirname(report))
    return time.monotonic() - started


def schemathesis_failures(report):
    """Every failed check in the ndjson events, as a dict: `operation` (the one the failure
    names: stateful failures are grouped under "Stateful tests", not their operation), `check`,
    `case`, the request the case sent (`request`: its line, `query`, `body`: parsed JSON, or the
    raw text when it is not JSON) and `text` (the failure, the request line and the response)."""
    failures = []
    with open(report) as f:
        for line in f:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            for scenario in find_key(event, "recorder"):
                interactions = scenario.get("interactions") or {}
                for case_id, checks in (scenario.get("checks") or {}).items():
                    for check in checks or []:
                        if check.get("status") not in ("FAILURE", "failure"):
                            continue
                        failure = (check.get("failure_info") or {}).get("failure") or {}
                        interaction = interactions.get(case_id) or {}
                        request = interaction.get("request") or {}
                        uri = urllib.parse.urlsplit(request.get("uri", ""))
                        query = {k: as_json(v[-1]) for k, v in urllib.parse.parse_qs(uri.query, keep_blank_values=True).items()}
                        raw = decode(request.get("body"))
                        try:
                            body = json.loads(raw) if raw else ""
                        except ValueError:
                            body = raw
                        failures.append({
                            "operation": failure.get("operation") or scenario.get("label") or "",
                            "check": check.get("name", ""),
                            "case": case_id,
                            "query": query,
                            "body": body,
                            "request": f"{request.get('method', '')} {urllib.parse.unquote(request.get('uri', ''))}",
                            "text": json.dumps(failure) + "\n" + interaction_text(interaction),
                        })
    return failures


def as_json(text):
    """A query value as the number it spells, else the string."""
    try:
        return json.loads(text) if re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", text) else text
    except ValueError:
        return text


def find_key(node, key):
    """Every value stored under `key` anywhere in `node`."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                yield v
            else:
                yield from find_key(v, key)
    elif isinstance(node, list):
        for v in node:
            yield from find_key(v, key)


def interaction_text(interaction):
    """The request line, its body and the response of one recorded interaction, as text."""
    if not interaction:
        return ""
    request, response = interaction.get("request") or {}, interaction.get("response") or {}
    parts = [f"{request.get('method', '')} {urllib.parse.unquote(request.get('uri', ''))}",
             decode(request.get("body"))]
    if response:
        parts += [f"status {response.get('status_code')}", json.dumps(response.get("headers")),
                  decode(response.get("content"))]
    return "\n".join(parts)


def decode(body):
    if isinstance(body, dict) and "$base64" in body:
        return base64.b64decode(body["$base64"]).decode("utf-8", "replace")
    return "" if body is None else json.dumps(body)


def schemathesis_bugs(failures):
    """Seeded bugs the failures show, and the failures that show none. A failure whose case
    also failed a check that shows a bug (a 500 is both `not_a_server_error` and an undeclared
    status) is explained by it."""
    found, explained_cases, unmatched = set(), set(), []
    for failure in failures:
        hit = False
        for bug, (op, want_check, shows) in ST_MATCH.items():
            ops = (op,) if isinstance(op, str) else op
            if ((not op or failure["operation"] in ops)
                    and (not want_check or want_check == failure["check"]) and shows(failure)):
                found.add(bug)
                hit = True
        if hit:
            explained_cases.add(failure["case"])
        else:
            unmatched.append(failure)
    unexplained = sorted({f"{f['operation']} {f['check']}" for f in unmatched
                          if f["case"] not in explained_cases})
    return found, unexplained


def main():
    rows = []
    for tool in ("oaskit", "schemathesis"):
        for run in range(RUNS):
            seed = run
            row = {"tool": tool, "seed": seed}
            for correct in (False, True):
                proc, url = start(correct)
                try:
                    if tool == "oaskit":
                        findings, elapsed = run_oaskit(url, seed)
                        found, unexplained = oaskit_bugs(findings)
                        if correct:
                            unexplained = [f"{f['operation']} {f['rule']}" for f in findings]
                    else:
                        with tempfile.TemporaryDirectory() as d:
                            report = os.path.join(d, "events.ndjson")
                            elapsed = run_schemathesis(url, seed, report)
                            failures = schemathesis_failures(report) if os.path.exists(report) else []
                        found, unexplained = schemathesis_bugs(failures)
                        if correct:
                            unexplained = sorted({f"{f['operation']} {f['check']}" for f in failures})
                    requests = served(url)
                finally:
                    proc.terminate()
                    proc.wait()
                key = "twin" if correct else "buggy"
                row[key] = {"found": sorted(found) if not correct else [], "false": unexplained,
                            "requests": requests, "seconds": round(elapsed, 2)}
            rows.append(row)
            b, t = row["buggy"], row["twin"]
            print(f"{tool:13} seed {seed}: found {len(b['found']):2}/{len(BUGS)}, false alarms "
                  f"{len(b['false'])} (+{len(t['false'])} on the twin), {b['requests']} requests, "
                  f"{b['seconds']} s", flush=True)
            for line in b["false"] + [f"twin: {x}" for x in t["false"]]:
                print(f"    false alarm: {line}")
    for tool in ("oaskit", "schemathesis"):
        runs = [r for r in rows if r["tool"] == tool]
        union = set().union(*(r["buggy"]["found"] for r in runs))
        best = max(runs, key=lambda r: len(r["buggy"]["found"]))
        print(f"{tool}: best run {len(best['buggy']['found'])}, across runs {len(union)}; missed "
              f"by every run: {sorted(set(b['bug'] for b in BUGS) - union)}")


main()
