"""Runs oaskit, Spectral and Redocly on every lint case and scores them (see lint-peers.sh).

A case counts as caught at its line when a tool reports an error or warning there that it does
not report on the clean base spec; caught elsewhere when its only new findings are on other
lines. Cases are materialised from their patches with `patch`.
"""
import collections, json, os, re, shutil, subprocess, sys, time

oaskit, bin_dir, fixtures, out = sys.argv[1:5]
oaskit = os.path.abspath(oaskit)
specs = os.path.join(out, "specs")
shutil.rmtree(specs, ignore_errors=True)
os.makedirs(specs)
for name in sorted(os.listdir(fixtures)):
    path = os.path.join(fixtures, name)
    if name.endswith(".patch"):
        base = open(path).readline()[4:].strip()
        target = os.path.join(specs, name[: -len(".patch")] + ".yaml")
        subprocess.run(["patch", "-s", "-o", target, os.path.join(fixtures, base), path], check=True)
    elif name.endswith((".json", ".json.expect")) or name.startswith("base-"):
        shutil.copy(path, specs)
with open(os.path.join(out, "spectral.yaml"), "w") as f:
    f.write('extends: ["spectral:oas"]\n')


def expectation(name):
    path = os.path.join(specs, name)
    if name.endswith(".json"):
        words = open(path + ".expect").read().split()
        return words[0], words[1], int(words[2]), words[3:]
    for i, line in enumerate(open(path).read().split("\n")):
        if "# expect: " in line:
            words = line.split("# expect: ")[1].split()
            return words[0], words[1], i + 1, words[2:]
    raise SystemExit(f"{name}: no expectation")


def run(cmd):
    start = time.monotonic()
    done = subprocess.run(cmd, cwd=specs, capture_output=True, text=True)
    return done.stdout + done.stderr, time.monotonic() - start


def oaskit_findings(name, flags):
    text, secs = run([oaskit, "validate", "--format", "json", *flags, name])
    doc = json.JSONDecoder().raw_decode(text.strip())[0]
    return [(f["rule"], f["level"], (f.get("location") or {}).get("line") or 0, f["message"])
            for f in doc["findings"]], secs


def spectral_findings(name, _):
    text, secs = run([os.path.join(bin_dir, "spectral"), "lint", "-r", "../spectral.yaml", "-f", "json", name])
    levels = {0: "error", 1: "warning", 2: "info", 3: "hint"}
    try:
        doc = json.JSONDecoder().raw_decode(text.strip())[0]
    except ValueError:
        doc = []
    return [(f["code"], levels[f["severity"]], f["range"]["start"]["line"] + 1, f["message"]) for f in doc], secs


def redocly_findings(name, _):
    text, secs = run([os.path.join(bin_dir, "redocly"), "lint", "--format=stylish", name])
    return [(m.group(4), m.group(3), int(m.group(1)), m.group(5))
            for m in re.finditer(r"^\s+(\d+):(\d+)\s+(error|warning)\s+(\S+)\s+(.*)$", text, re.M)], secs


tools = {"oaskit": oaskit_findings, "spectral": spectral_findings, "redocly": redocly_findings}
os.environ["NO_COLOR"] = "1"
base = {(t, b): f(b, [])[0] for t, f in tools.items() for b in ("base-30.yaml", "base-31.yaml")}
cases = sorted(n for n in os.listdir(specs) if n.endswith((".yaml", ".json")) and not n.startswith("base-"))
score = collections.defaultdict(collections.Counter)
times = collections.defaultdict(list)
rows = []
for name in cases:
    rule, level, line, flags = expectation(name)
    base_name = "base-30.yaml" if "-30." in name else "base-31.yaml"
    row = [name, rule, level, str(line)]
    for tool, findings in tools.items():
        got, secs = findings(name, flags if tool == "oaskit" else [])
        times[tool].append(secs)
        known = collections.Counter((r, lv, m) for r, lv, _, m in base[(tool, base_name)])
        new = []
        for g in got:
            key = (g[0], g[1], g[3])
            if known[key]:
                known[key] -= 1
            elif g[1] in ("error", "warning"):
                new.append(g)
        at = [g for g in new if g[2] == line]
        if at:
            lv = "error" if any(g[1] == "error" for g in at) else "warning"
            score[tool]["at line"] += 1
            score[tool]["at line as " + lv] += 1
            row.append("line/" + lv)
        elif new:
            score[tool]["elsewhere"] += 1
            row.append("elsewhere")
        else:
            score[tool]["missed"] += 1
            row.append("-")
        score[tool]["extra findings"] += len(new) - min(1, len(at))
    rows.append(row)
with open(os.path.join(out, "cases.tsv"), "w") as f:
    f.write("case\trule\tlevel\tline\t" + "\t".join(tools) + "\n")
    f.writelines("\t".join(r) + "\n" for r in rows)
print(f"{len(cases)} cases (per-case table: {out}/cases.tsv)")
for tool in tools:
    noise = sum(1 for b in ("base-30.yaml", "base-31.yaml") for g in base[(tool, b)] if g[1] in ("error", "warning"))
    median = sorted(times[tool])[len(times[tool]) // 2]
    print(f"{tool:9} {dict(score[tool])}  noise on the base specs: {noise}  median {median:.3f} s/file")
