#!/usr/bin/env bash
# Captures real frames of armorwatch (demo feed) in a private tmux server and
# renders them as the README screenshots. Regenerate with:
#   npx tsc -p . && bash media/capture-screenshot.sh
# Writes media/frame.ansi (120x40), media/frame-80x24.ansi and their SVGs
# media/armorwatch.svg and media/armorwatch-80x24.svg (and media/armorwatch.png
# if rsvg-convert is installed). Takes about 40 s. The demo events are seeded but
# arrive on the wall clock, so frames differ a little from run to run.
set -euo pipefail
cd "$(dirname "$0")/.."

# A private server (-L), never the default one; -f /dev/null ignores ~/.tmux.conf.
t() { tmux -L armorwatch-shot -f /dev/null "$@"; }
trap 't kill-server 2>/dev/null || true' EXIT

[ -f dist/source/cli.js ] || { echo "dist/source/cli.js missing: run npx tsc -p . first" >&2; exit 1; }

shot() { # shot COLS ROWS OUT.ansi
	local cols=$1 rows=$2 out=$3
	t kill-server 2>/dev/null || true
	t new-session -d -s shot -x "$cols" -y "$rows" \
		"env -u CI -u NO_COLOR TERM=xterm-256color FORCE_COLOR=1 node dist/source/cli.js demo --rate 60"
	# Let the counters, the rate sparkline and the list fill up. With the default seed the first burst
	# (one pod flooding logs) comes about 10-13 s in: at 16 s it is a spike in the sparkline and the
	# list below it is varied again.
	sleep 16
	# Move the selection down a few rows, then on to the next BLOCK row if one is in view.
	for i in $(seq 1 25); do
		local selected
		selected=$(t capture-pane -p -t shot | grep -m1 '›' || true)
		if [ "$i" -gt 3 ] && [[ $selected == *BLOCK* ]]; then break; fi
		t send-keys -t shot j
		sleep 0.3
	done
	sleep 1
	t has-session -t shot 2>/dev/null || { echo "armorwatch exited early" >&2; exit 1; }
	t capture-pane -e -p -t shot > "$out"
	t send-keys -t shot q
	sleep 1
	t kill-server 2>/dev/null || true
	echo "captured $out"
}

shot 120 40 media/frame.ansi
shot 80 24 media/frame-80x24.ansi
node media/ansi-to-svg.mjs media/frame.ansi media/armorwatch.svg --cols 120 --rows 40
node media/ansi-to-svg.mjs media/frame-80x24.ansi media/armorwatch-80x24.svg --cols 80 --rows 24
echo "wrote media/armorwatch.svg and media/armorwatch-80x24.svg"
# Optional PNG for places that do not show SVG (apt-get install librsvg2-bin).
if command -v rsvg-convert >/dev/null; then
	rsvg-convert -o media/armorwatch.png media/armorwatch.svg && echo "wrote media/armorwatch.png"
fi
