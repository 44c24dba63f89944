#!/bin/bash
# The cost of npm's start-up per CLI call (README, "Large plans and CI loops"): 10 calls of each form,
# interleaved in one run: npx, npm exec --, the bin directly. Needs npm run build.
cd "$(dirname "$0")/.."
ARGS="verify-flow examples/nsg-basics/preview.json --nic vm1 --direction Inbound --protocol TCP --local 10.0.1.4:80 --remote 203.0.113.9:50000 --json"
declare -A T
for i in $(seq 10); do
  for form in npx exec bin; do
    s=$(date +%s%N)
    case $form in
      npx) npx azure-reachability $ARGS >/dev/null ;;
      exec) npm exec -- azure-reachability $ARGS >/dev/null ;;
      bin) node bin/azure-reachability.js $ARGS >/dev/null ;;
    esac
    e=$(date +%s%N)
    T[$form]=$(( ${T[$form]:-0} + (e - s) / 1000000 ))
  done
done
for form in npx exec bin; do echo "$form: $(( ${T[$form]} / 10 )) ms per call (mean of 10)"; done
