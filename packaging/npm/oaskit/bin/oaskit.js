#!/usr/bin/env node
// The `oaskit` command of the npm package: runs the native binary of the platform package npm
// installed beside this one (an optional dependency chosen by its `os` and `cpu` fields, as
// esbuild and Biome do). Nothing is downloaded at install time or at run time.
"use strict";

const { spawnSync } = require("node:child_process");

// process.platform + " " + process.arch -> the package carrying the binary for it.
const PLATFORMS = {
  "linux x64": "@oaskit/linux-x64",
  "linux arm64": "@oaskit/linux-arm64",
  "darwin x64": "@oaskit/darwin-x64",
  "darwin arm64": "@oaskit/darwin-arm64",
  "win32 x64": "@oaskit/win32-x64",
};

function binaryPath() {
  // A binary of one's own (a local build, a CI artifact) wins.
  if (process.env.OASKIT_BINARY) return process.env.OASKIT_BINARY;
  const key = `${process.platform} ${process.arch}`;
  const pkg = PLATFORMS[key];
  if (!pkg) {
    fail(
      `there is no prebuilt oaskit for ${key}.\n` +
        "Build it with Rust instead: cargo install oaskit --locked"
    );
  }
  const exe = process.platform === "win32" ? "oaskit.exe" : "oaskit";
  try {
    return require.resolve(`${pkg}/bin/${exe}`);
  } catch {
    fail(
      `the package ${pkg}, which carries the oaskit binary for ${key}, is not installed.\n` +
        "npm skips it when optional dependencies are omitted (--omit=optional, --no-optional)\n" +
        "or when the lockfile was made on another platform: reinstall with optional dependencies."
    );
  }
}

function fail(message) {
  process.stderr.write(`oaskit (npm): ${message}\n`);
  process.exit(2);
}

const result = spawnSync(binaryPath(), process.argv.slice(2), { stdio: "inherit" });
if (result.error) fail(`cannot run ${binaryPath()}: ${result.error.message}`);
if (result.signal) {
  // Die of the same signal, so callers see what the binary saw.
  process.kill(process.pid, result.signal);
}
process.exit(result.status ?? 2);
