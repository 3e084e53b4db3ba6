#!/usr/bin/env bash
# Captures a real frame of armorwatch's group view (demo feed, = at start through --group-by) in a private
# tmux server and renders it as the README's group screenshot. Regenerate with:
#   npx tsc -p . && bash media/capture-groups.sh
# Writes media/frame-groups.ansi (120x40) and media/armorwatch-groups.svg. Takes about 20 s.
set -euo pipefail
cd "$(dirname "$0")/.."

t() { tmux -L armorwatch-groups-shot -f /dev/null "$@"; }
trap 't kill-server 2>/dev/null || true' EXIT

[ -f dist/source/cli.js ] || { echo "dist/source/cli.js missing: run npx tsc -p . first" >&2; exit 1; }

t new-session -d -s shot -x 120 -y 40 \
	"env -u CI -u NO_COLOR TERM=xterm-256color FORCE_COLOR=1 node dist/source/cli.js demo --rate 200 --group-by policy,op,action,proc,res,workload"
# Let the groups fill up and a storm or two build.
sleep 16
# Select the first group with a Block, if one is in view.
for i in $(seq 1 12); do
	selected=$(t capture-pane -p -t shot | grep -m1 '›' || true)
	if [[ $selected == *Block* ]]; then break; fi
	t send-keys -t shot j
	sleep 0.3
done
sleep 1
t has-session -t shot 2>/dev/null || { echo "armorwatch exited early" >&2; exit 1; }
t capture-pane -e -p -t shot > media/frame-groups.ansi
t send-keys -t shot q
sleep 1
node media/ansi-to-svg.mjs media/frame-groups.ansi media/armorwatch-groups.svg --cols 120 --rows 40
echo "wrote media/armorwatch-groups.svg"
