#!/usr/bin/env bash
# Runs the contract gate for the GitHub Action (action.yml). Never fails the step itself: the
# exit code goes to the step's outputs, so the SARIF upload runs after a failing check too, and
# the action's last step turns the code into the job's result.
#
# Inputs (environment): OASKIT_CONFIG, OASKIT_BASE, OASKIT_FORMAT, OASKIT_FAIL_ON, OASKIT_SARIF,
# OASKIT_SUMMARY; GITHUB_BASE_REF (set in pull requests), GITHUB_OUTPUT, GITHUB_STEP_SUMMARY.
set -uo pipefail

args=(check)
[ -n "${OASKIT_CONFIG:-}" ] && args+=(--config "$OASKIT_CONFIG")
[ -n "${OASKIT_FAIL_ON:-}" ] && args+=(--fail-on "$OASKIT_FAIL_ON")

base=${OASKIT_BASE:-}
if [ -z "$base" ] && [ -n "${GITHUB_BASE_REF:-}" ]; then
  # A pull request: diff against its base branch. actions/checkout makes a shallow clone of
  # the merge commit, without the base branch: fetch its tip (one commit is enough).
  ref="refs/remotes/origin/$GITHUB_BASE_REF"
  if ! git rev-parse --verify --quiet "$ref" >/dev/null; then
    git fetch --no-tags --depth=1 origin "+refs/heads/$GITHUB_BASE_REF:$ref" ||
      echo "::warning::could not fetch the base branch $GITHUB_BASE_REF"
  fi
  base="origin/$GITHUB_BASE_REF"
fi
[ -n "$base" ] && args+=(--base "$base")

echo "oaskit ${args[*]}"
code=0
# The job summary is written below (or not, as job-summary says): the github format would
# otherwise append its own to $GITHUB_STEP_SUMMARY.
GITHUB_STEP_SUMMARY='' oaskit "${args[@]}" --format "${OASKIT_FORMAT:-github}" || code=$?

output=${GITHUB_OUTPUT:-/dev/null}
if [ "${OASKIT_SARIF:-false}" = "true" ]; then
  sarif="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/oaskit.sarif"
  sarif_code=0
  oaskit "${args[@]}" --format sarif >"$sarif" || sarif_code=$?
  if [ "$sarif_code" -le 1 ]; then
    echo "sarif-file=$sarif" >>"$output"
  fi
fi

if [ "${OASKIT_SUMMARY:-true}" = "true" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  {
    echo "## oaskit check"
    echo
    oaskit "${args[@]}" --format markdown --color never || true
  } >>"$GITHUB_STEP_SUMMARY" 2>&1
fi

echo "exit-code=$code" >>"$output"
exit 0
