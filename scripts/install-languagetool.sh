#!/usr/bin/env bash
# Fetch the pinned LanguageTool (HTTP server + en, fr, de, ru) from Maven Central
# into languagetool/target/lib/, with the machine's Maven. Idempotent: when the jars
# of the pinned version are already there it only reports where they are.
#
#   scripts/install-languagetool.sh            # install (or report)
#   scripts/install-languagetool.sh --force    # fetch again
#
# Environment: MVN (default mvn), MAVEN_REPO_LOCAL (a fresh local repository, e.g.
# to test an install from scratch), JAVA (default java).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pom="$here/languagetool/pom.xml"
settings="$here/languagetool/settings.xml"
lib="$here/languagetool/target/lib"
mvn="${MVN:-mvn}"
java="${JAVA:-java}"

die() { echo "install-languagetool: $*" >&2; exit 1; }

command -v "$java" >/dev/null 2>&1 || die "Java not found: install Java 17 or later (e.g. apt-get install openjdk-17-jre-headless)"
java_major="$("$java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\)[^"]*".*/\1/p' | head -1)"
[ -n "$java_major" ] && [ "$java_major" -ge 17 ] || die "LanguageTool needs Java 17 or later; '$java' is version ${java_major:-unknown}"

version="$(sed -n 's:.*<languagetool.version>\(.*\)</languagetool.version>.*:\1:p' "$pom" | head -1)"
[ -n "$version" ] || die "no <languagetool.version> in $pom"

force=0
[ "${1:-}" = "--force" ] && force=1

installed() {
  [ -f "$lib/languagetool-server-$version.jar" ] && [ -f "$lib/language-en-$version.jar" ] &&
  [ -f "$lib/language-fr-$version.jar" ] && [ -f "$lib/language-de-$version.jar" ] &&
  [ -f "$lib/language-ru-$version.jar" ] && [ "$lib/.complete-$version" -nt "$pom" ]
}

if [ "$force" = 1 ] || ! installed; then
  command -v "$mvn" >/dev/null 2>&1 || die "Maven not found: install Maven 3 (e.g. apt-get install maven), or set MVN"
  echo "install-languagetool: fetching LanguageTool $version from Maven Central (about 130 MB the first time) ..." >&2
  staging="$lib.new"
  rm -rf "$staging"
  args=(-B -q -Dstyle.color=never -s "$settings" -f "$pom" "-Dlanguagetool.lib=$staging")
  [ -n "${MAVEN_REPO_LOCAL:-}" ] && args+=("-Dmaven.repo.local=$MAVEN_REPO_LOCAL")
  "$mvn" "${args[@]}" package || die "Maven could not fetch LanguageTool $version (see the messages above)"
  [ -f "$staging/languagetool-server-$version.jar" ] || die "Maven finished but $staging has no languagetool-server-$version.jar"
  # swap, so that a server running from the old jars keeps working until it stops
  rm -rf "$lib.old"
  [ -d "$lib" ] && mv "$lib" "$lib.old"
  mv "$staging" "$lib"
  rm -rf "$lib.old"
  touch "$lib/.complete-$version"
fi

count="$(find "$lib" -name '*.jar' | wc -l | tr -d ' ')"
size="$(du -sh "$lib" | cut -f1)"
echo "LanguageTool $version: $count jars, $size in $lib"
