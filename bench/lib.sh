# Sourced by the bench scripts (run.sh, evaluate.sh, fashion-kafka.sh), from the repository root.

# ND4J's OpenBLAS misdetects recent CPUs: the core type for this one (bin/openblas-coretype), and one OpenBLAS
# thread (README "Build notes"). OpenBLAS reads both when the JVM loads it, so they are exported before java starts.
bench_env() {
  local coretype
  coretype=$(bin/openblas-coretype)
  if [ -n "$coretype" ]; then export OPENBLAS_CORETYPE=$coretype; fi
  export OMP_NUM_THREADS=1
}

# bench_classpath OUT GOAL...: runs the Maven goals and writes the test classpath to OUT/cp.txt (an absolute path:
# the reactor runs goals in every module, and a relative one would resolve against service/). Offline first; online
# when something is missing from the local repository (MOA's jars the first time, for instance).
bench_classpath() {
  local out=$1
  shift
  local args=(-B -ntp -q "$@" dependency:build-classpath -Dmdep.outputFile="$PWD/$out/cp.txt"
              -Dmdep.includeScope=test -Dopenblas.coretype="${OPENBLAS_CORETYPE:-}")
  ./mvnw -o "${args[@]}" 2>/dev/null || ./mvnw "${args[@]}"
}
