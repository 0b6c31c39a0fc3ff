#!/usr/bin/env python3
"""oaskit probe and Schemathesis side by side on the probe target (tests/probe_target).

Each run gets a fresh target (the unsafe requests change its data). Requests are counted at the
server (GET /__requests, a path outside the spec), time is wall time of the tool's process.
A seeded bug counts as found when a finding (oaskit) or a failure (Schemathesis) names it; a
finding that names no seeded bug, or any finding on the correct twin, is a false alarm.

usage: probe_bugs.py OASKIT TARGET RUNS
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

OASKIT, TARGET, RUNS = sys.argv[1], sys.argv[2], int(sys.argv[3])
SPEC = os.path.join(os.path.dirname(__file__), "..", "tests", "probe_target", "openapi.yaml")
KEY = "probe-target-key-3f9a"
BUGS = json.loads(subprocess.run([TARGET, "--bugs-json"], capture_output=True, text=True, check=True).stdout)

# How a Schemathesis failure names each bug: (operation, check, regex on its text). Read off the
# failures it reports on this target; a bug it never reports has no way to match.
ST_MATCH = {
    "LimitAboveMaxCrashes": ("GET /items", "not_a_server_error", r"limit[=\":' ]+(5[1-9]|[6-9]\d|\d{3,})"),
    "LimitBelowMinAccepted": ("GET /items", "negative_data_rejection", r"limit[=\":' ]+0\b"),
    "LimitAtMaxRejected": ("GET /items", "positive_data_acceptance", r"limit[=\":' ]+50\b"),
    "UnknownStatusAccepted": ("GET /items", "negative_data_rejection", r"status"),
    "ArchivedPriceAsString": ("GET /items", "response_schema_conformance", r"price"),
    "NegativeOffsetCrashes": ("GET /items", "not_a_server_error", r"offset[=\":' ]+-"),
    "NextLinkBrokenWithoutLimit": ("GET /items", "positive_data_acceptance", r"limit=&"),
    "LongSearchResets": ("GET /search", "", r"(onnection|reset|aborted|RemoteDisconnected)"),
    "EvenItemsLackPrice": ("GET /items/{itemId}", "response_schema_conformance", r"price"),
    "ItemThreeInvalidJson": ("GET /items/{itemId}", "response_schema_conformance", r"(JSON|json)"),
    "NotFoundAsHtml": ("GET /items/{itemId}", "content_type_conformance", r"text/html"),
    "CreateWithoutLocation": ("POST /items", "response_headers_conformance", r"Location"),
    "MissingFieldIs422": ("POST /items", "status_code_conformance", r"422"),
    "WrongTypeAccepted": ("POST /items", "negative_data_rejection", r"price"),
    "TooManyTagsAccepted": ("POST /items", "negative_data_rejection", r"tags"),
    "MalformedJsonCrashes": ("POST /items", "not_a_server_error", r""),
    "CreateWithoutKey": ("POST /items", "ignored_auth", r""),
    "StatsForbiddenNot401": ("GET /stats", "status_code_conformance", r"403"),
    "StatsAcceptsAnyKey": ("GET /stats", "ignored_auth", r""),
    "NameAtMaxRejected": ("PUT /items/{itemId}", "positive_data_acceptance", r"name"),
    "UpdateLost": ("PUT /items/{itemId}", "", r"(update|stale)"),
    "DeleteNotEffective": ("DELETE /items/{itemId}", "use_after_free", r""),
    "NoContentWithContentType": ("DELETE /items/{itemId}", "", r"204.*(Content-Type|body)"),
    "HeadMismatch": ("HEAD /health", "", r""),
    "MethodNotAllowedWithoutAllow": ("", "allow_header_conformance", r""),
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
        capture_output=True, text=True)
    return time.monotonic() - started


def schemathesis_failures(report):
    """(operation label, check name, text) for every failed check in the ndjson events."""
    failures = []
    with open(report) as f:
        for line in f:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            for found in walk(event):
                failures.append(found)
    return failures


def walk(node, label=None):
    """Failed checks anywhere in an event: dicts with a 'status' of failure and a 'name'."""
    if isinstance(node, dict):
        label = node.get("label") or label
        if node.get("status") in ("FAILURE", "failure") and "name" in node:
            yield (label or "", node["name"], json.dumps(node)[:4000])
        for v in node.values():
            yield from walk(v, label)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v, label)


def schemathesis_bugs(failures):
    found, unexplained = set(), set()
    for label, check, text in failures:
        hit = False
        for bug, (op, want_check, pattern) in ST_MATCH.items():
            if (not op or op in label) and (not want_check or want_check == check) and re.search(pattern, text):
                found.add(bug)
                hit = True
        if not hit:
            unexplained.add(f"{label} {check}")
    return found, sorted(unexplained)


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
                            unexplained = sorted({f"{l} {c}" for l, c, _ in failures})
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
