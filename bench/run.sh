#!/usr/bin/env bash
# Benchmarks of the conformance harness (see bench/README.md): builds the bench and the harness in Release, then
# measures validator cold start, warm validation throughput, the conformance suite against the embedded sandbox
# for 1, 5 and 20 members, the detection suite, the own tests and .ci/run, against issue #16's targets.
# Writes bench/results.json and bench/results.md.
#
#   bench/run.sh            short mode (a few repetitions; about 80 minutes on 2 idle cores, most of it detection and CI)
#   bench/run.sh --full     more repetitions (BenchmarkDotNet's default job, 7 cold starts)
#   bench/run.sh cold-start | throughput | suite | detection | own-tests | ci [--full]   one part; results.json keeps the others' last figures
#
# Environment: DIC_FHIR_PACKAGES (folder of the IG .tgz packages; default ../shared/fhir-packages beside the clone, else ~/.fhir/packages),
# BENCH_PARALLELISM (parallelism of the member runs; default 4), BENCH_MEMBERS (default 1,5,20).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command="all"
mode="--short"
for argument in "$@"; do
  case "$argument" in
    --full) mode="" ;;
    all|cold-start|throughput|suite|detection|own-tests|ci) command="$argument" ;;
    *) echo "Unknown argument '$argument'. Usage: bench/run.sh [all|cold-start|throughput|suite|detection|own-tests|ci] [--full]" >&2; exit 2 ;;
  esac
done

# The IG packages: DIC_FHIR_PACKAGES, else the shared folder beside the clone (as .ci/run), else the FHIR package cache.
if [ -z "${DIC_FHIR_PACKAGES:-}" ]; then
  if [ -d "$repo/../shared/fhir-packages" ]; then DIC_FHIR_PACKAGES="$(cd "$repo/../shared/fhir-packages" && pwd)"; else DIC_FHIR_PACKAGES="$HOME/.fhir/packages"; fi
fi
export DIC_FHIR_PACKAGES
if [ ! -d "$DIC_FHIR_PACKAGES" ]; then
  echo "DIC_FHIR_PACKAGES='$DIC_FHIR_PACKAGES' is not a folder: set it to the folder holding the FHIR IG .tgz packages." >&2
  exit 2
fi

echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
# The bench references the harness project, so this builds both in Release (bin/Release, apart from the Debug build
# that `dotnet test` uses).
dotnet build "$repo/bench/DigitalInsurance.Conformance.Bench.csproj" -c Release -nologo -v quiet
dotnet "$repo/bench/bin/Release/net10.0/DigitalInsurance.Conformance.Bench.dll" "$command" $mode \
  --repo "$repo" --out "$repo/bench" \
  --parallelism "${BENCH_PARALLELISM:-4}" --members "${BENCH_MEMBERS:-1,5,20}"
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
