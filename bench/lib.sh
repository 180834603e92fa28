# Sourced by the bench scripts. reactor_classpath MODULE FILE builds MODULE and the modules it
# needs in the reactor (nothing is installed into ~/.m2, so a run always measures this tree) and
# prints its runtime classpath: MODULE's classes, the jars of the project modules it uses from
# their target/ directories, then the third-party jars. The list goes through FILE because
# Maven's colour codes on stdout would corrupt its first entry.
reactor_classpath() {
  local module=$1 out
  out=$(realpath -m "$2") # Maven resolves a relative path against each module's own directory
  local goal=(-q -B -ntp -pl "$module" -am package -DskipTests dependency:build-classpath
    -DincludeScope=runtime -Dmdep.outputFile="$out")
  mvn -o "${goal[@]}" >/dev/null 2>&1 || mvn "${goal[@]}" >/dev/null
  echo "$module/target/classes:$(cat "$out")"
}
