#!/bin/sh
# Payment notice PDFs read back as a person's tools would: notice_gen renders
# the scenarios (single, 2, 3 and 10 installments, postal account), then for
# each PDF: page count, fonts (only our embedded Titillium Web / Roboto Mono),
# the text (pdftotext: amounts, due dates, codes in groups of 4), every QR
# code (pdftoppm -r 300 + zbarimg) and every Poste DataMatrix (dmtxread on
# the slip's corner) must decode to exactly the expected payloads.
# Usage: run.sh BUILD_DIR [WORK_DIR]. Prints TAP.
set -u
B=$1
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FONTS=$ROOT/web/node_modules/bootstrap-italia/src/fonts
W=${2:-$(mktemp -d /tmp/sportello-pdf.XXXXXX)}
mkdir -p "$W"
n=0
bad=0
tap() { # cond-exit-status description [diagnostics-file]
  n=$((n + 1))
  if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else
    bad=$((bad + 1)); echo "not ok $n - $2"
    [ -n "${3:-}" ] && [ -s "$3" ] && sed 's/^/# /' "$3" | head -n 20
  fi
}

for tool in pdftoppm pdftotext pdfinfo pdffonts zbarimg dmtxread; do
  command -v $tool >/dev/null 2>&1; tap $? "tool $tool installed"
done

"$B/tests/pdf/notice_gen" "$FONTS" "$W" >"$W/gen.tap" 2>"$W/gen.err"
rc=$?
grep -E '^(not )?ok ' "$W/gen.tap" >"$W/gen.lines"
while read -r line; do
  case $line in
    "ok "*) tap 0 "notice_gen: ${line#ok * - }";;
    *) tap 1 "notice_gen: ${line#not ok * - }";;
  esac
done <"$W/gen.lines"
tap $rc "notice_gen exits 0" "$W/gen.err"

for expect in "$W"/*.expect; do
  [ -f "$expect" ] || continue
  name=$(basename "$expect" .expect)
  pdf=$W/$name.pdf
  diag=$W/$name.diag
  : >"$diag"

  want_pages=$(awk '$1 == "pages" {print $2}' "$expect")
  pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
  [ "$pages" = "$want_pages" ]; tap $? "$name: $want_pages page(s), got ${pages:-none}"

  # every font embedded, and only ours
  pdffonts "$pdf" 2>/dev/null | tail -n +3 >"$W/$name.fonts"
  awk '$0 !~ /(TitilliumWeb|RobotoMono)/ || $(NF-4) != "yes" {print; bad=1} END {exit bad}' "$W/$name.fonts" >"$diag"
  r=$?; [ -s "$W/$name.fonts" ] || r=1
  tap $r "$name: fonts embedded, Titillium Web and Roboto Mono only" "$diag"

  pdftotext -layout "$pdf" "$W/$name.txt" 2>/dev/null
  : >"$diag"
  awk '$1 == "text" {sub(/^text /, ""); print}' "$expect" | while IFS= read -r s; do
    grep -qF -- "$s" "$W/$name.txt" || echo "missing text: $s" >>"$diag"
  done
  [ ! -s "$diag" ]; tap $? "$name: text has names, amounts, due dates and codes in groups of 4" "$diag"

  pdftoppm -r 300 -png "$pdf" "$W/$name" 2>/dev/null
  for png in "$W/$name"-*.png; do zbarimg --raw -q "$png" 2>/dev/null; done | sort >"$W/$name.qr.got"
  awk '$1 == "qr" {print $2}' "$expect" | sort >"$W/$name.qr.want"
  diff "$W/$name.qr.want" "$W/$name.qr.got" >"$diag"
  r=$?; [ -s "$W/$name.qr.want" ] || r=1
  tap $r "$name: $(wc -l <"$W/$name.qr.want") QR codes decode to the exact payloads" "$diag"

  awk '$1 == "dm" {sub(/^dm /, ""); print}' "$expect" | sort >"$W/$name.dm.want"
  if [ -s "$W/$name.dm.want" ]; then
    # each slip's DataMatrix sits at its right edge, 58..130 pt below the top
    # of the "BOLLETTINO POSTALE PA" bar; crop there (dmtxread on a whole
    # page at 300 dpi takes minutes)
    : >"$W/$name.dm.got"
    p=1
    while [ "$p" -le "${pages:-0}" ]; do
      pdftotext -bbox -f "$p" -l "$p" "$pdf" - 2>/dev/null |
        awk -F'"' '/>BOLLETTINO</ {print $4}' >"$W/$name.slips"
      k=0
      while read -r ymin; do
        k=$((k + 1))
        y=$(awk -v y="$ymin" 'BEGIN {printf "%d", (y + 35) * 300 / 72}')
        x=$(awk 'BEGIN {printf "%d", 480 * 300 / 72}')
        pdftoppm -r 300 -f "$p" -l "$p" -x "$x" -y "$y" -W 420 -H 460 -png "$pdf" "$W/$name-dm-$p-$k" 2>/dev/null
        for crop in "$W/$name-dm-$p-$k"*.png; do
          timeout 120 dmtxread -N 1 "$crop" 2>/dev/null
          echo
        done
      done <"$W/$name.slips"
      p=$((p + 1))
    done | grep -v '^$' | sort >"$W/$name.dm.got"
    diff "$W/$name.dm.want" "$W/$name.dm.got" >"$diag"
    tap $? "$name: $(wc -l <"$W/$name.dm.want") Poste DataMatrix decode to the exact payloads" "$diag"
  fi
done

[ -z "${2:-}" ] && rm -rf "$W"
echo "1..$n"
[ "$bad" -eq 0 ]
