#!/usr/bin/env bash
# Makes sure a base image for the project's images is in the local podman/buildah storage, and
# prints the reference to build FROM on stdout (everything else goes to stderr).
#
# usage: base-image.sh jdk|jre IMAGE [--save TAR]
#
# IMAGE (e.g. docker.io/library/eclipse-temurin:21-jre-noble) is used when it is in local storage
# or can be pulled. When no registry can be reached, a stand-in base is built instead, from Debian
# packages and the JDK that runs this build (STANDIN_JDK, default JAVA_HOME, must be >= 21):
#   localhost/agent-stand-in-base:debian-<suite>        debootstrap --variant=minbase of <suite>
#   localhost/agent-stand-in-base:jdk-<version>-<suite>  + the JDK at /opt/java/openjdk, binutils
#   localhost/agent-stand-in-base:jre-<version>-<suite>  + a JRE jlinked from that JDK
# laid out like the eclipse-temurin images (JAVA_HOME=/opt/java/openjdk on the PATH), so the same
# Dockerfile and Jib configuration build on either. Stand-ins are kept: a second build reuses them.
# --save TAR writes the chosen base as a docker-archive (for Jib's `tar://` base).
#
# Environment: STANDIN_SUITE (bookworm), STANDIN_MIRROR (the Debian mirror apt uses here,
# http://deb.debian.org/debian), STANDIN_JDK, STANDIN_ONLY=1 (skip the registry, build the stand-in).
set -euo pipefail

flavor=${1:?usage: base-image.sh jdk|jre IMAGE [--save TAR]}
image=${2:?usage: base-image.sh jdk|jre IMAGE [--save TAR]}
save=""
if [ "${3:-}" = "--save" ]; then save=${4:?--save needs a file}; fi
case "$flavor" in jdk|jre) ;; *) echo "base-image: flavor must be jdk or jre, not '$flavor'" >&2; exit 2 ;; esac

suite=${STANDIN_SUITE:-bookworm}
mirror=${STANDIN_MIRROR:-http://deb.debian.org/debian}
jdk=${STANDIN_JDK:-${JAVA_HOME:-}}
repo=localhost/agent-stand-in-base
say() { echo "[base-image] $*" >&2; }

exists() { podman image exists "$1"; }

debian_base() {
  local ref="$repo:debian-$suite"
  if exists "$ref"; then say "reusing $ref"; echo "$ref"; return; fi
  command -v debootstrap >/dev/null || { say "debootstrap is needed for a stand-in base (apt-get install debootstrap)"; exit 1; }
  local root
  root=$(mktemp -d /var/tmp/stand-in-rootfs.XXXXXX)
  say "debootstrap --variant=minbase $suite from $mirror (a few minutes)"
  debootstrap --variant=minbase "$suite" "$root" "$mirror" > "$root.log" 2>&1 \
    || { tail -20 "$root.log" >&2; say "debootstrap failed (log: $root.log)"; exit 1; }
  # The security and point-release updates too, as the official Debian images have them.
  printf 'deb %s %s main\ndeb %s %s-updates main\ndeb %s-security %s-security main\n' \
    "$mirror" "$suite" "$mirror" "$suite" "$mirror" "$suite" \
    > "$root/etc/apt/sources.list"
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" --numeric-owner -c . \
    | podman import --quiet --change 'CMD ["/bin/bash"]' --change 'ENV LANG=C.UTF-8' - "$ref" >/dev/null
  rm -rf "$root" "$root.log"
  echo "$ref"
}

jdk_version() {
  sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$jdk/release"
}

check_jdk() {
  [ -n "$jdk" ] && [ -x "$jdk/bin/jlink" ] || { say "STANDIN_JDK/JAVA_HOME must name a JDK with jlink (got '$jdk')"; exit 1; }
  local major
  major=$(jdk_version | cut -d. -f1)
  [ "$major" -ge 21 ] 2>/dev/null || { say "the runner needs Java >= 21; $jdk is $(jdk_version)"; exit 1; }
}

# A container from $1 with the directory $2 copied to /opt/java/openjdk, committed as $3.
commit_with_java() {
  local from=$1 java=$2 ref=$3 extra=$4 ctr
  ctr=$(buildah from --pull=never "$from")
  buildah copy --quiet "$ctr" "$java" /opt/java/openjdk >/dev/null
  if [ -n "$extra" ]; then
    buildah run "$ctr" -- sh -c "$extra" >&2
  fi
  buildah config --env JAVA_HOME=/opt/java/openjdk \
    --env PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env LANG=C.UTF-8 \
    --label "org.opencontainers.image.description=Stand-in for eclipse-temurin ($flavor), built from Debian $suite and $(jdk_version) because no registry was reachable" \
    --cmd '["jshell"]' "$ctr"
  buildah commit --quiet --rm "$ctr" "$ref" >/dev/null
}

standin_jdk() {
  local ref="$repo:jdk-$(jdk_version)-$suite"
  if exists "$ref"; then say "reusing $ref"; echo "$ref"; return; fi
  local debian stage
  debian=$(debian_base)
  stage=$(mktemp -d /var/tmp/stand-in-jdk.XXXXXX)
  # Copied with links kept, except cacerts: Debian's JDK layout links it into /etc/ssl, which does
  # not exist in the image and which jlink cannot follow; a real file is needed.
  cp -a "$jdk/." "$stage/"
  rm -f "$stage/lib/security/cacerts"
  cp -L "$jdk/lib/security/cacerts" "$stage/lib/security/cacerts"
  say "building $ref from $debian and $jdk"
  # binutils: `jlink --strip-debug` runs objcopy (the Temurin JDK images install it for that).
  commit_with_java "$debian" "$stage" "$ref" \
    'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends binutils ca-certificates >/dev/null && rm -rf /var/lib/apt/lists/*'
  rm -rf "$stage"
  echo "$ref"
}

# The modules of a JDK that a JRE leaves out: compilers, debuggers and packaging tools.
jre_modules() {
  "$jdk/bin/java" --list-modules | sed 's/@.*//' \
    | grep -vxE 'jdk\.(compiler|editpad|graal\.compiler|graal\.compiler\.management|hotspot\.agent|internal\.ed|internal\.le|internal\.md|internal\.opt|jartool|javadoc|jconsole|jdeps|jdi|jlink|jpackage|jshell|jstatd)' \
    | paste -sd, -
}

standin_jre() {
  local ref="$repo:jre-$(jdk_version)-$suite"
  if exists "$ref"; then say "reusing $ref"; echo "$ref"; return; fi
  local debian stage
  debian=$(debian_base)
  stage=$(mktemp -d /var/tmp/stand-in-jre.XXXXXX)
  say "jlinking a JRE from $jdk"
  "$jdk/bin/jlink" --add-modules "$(jre_modules)" --strip-debug --no-man-pages --no-header-files \
    --generate-cds-archive --output "$stage/jre" >&2
  rm -f "$stage/jre/lib/security/cacerts"
  cp -L "$jdk/lib/security/cacerts" "$stage/jre/lib/security/cacerts"
  say "building $ref from $debian"
  commit_with_java "$debian" "$stage/jre" "$ref" ""
  rm -rf "$stage"
  echo "$ref"
}

choose() {
  if [ "${STANDIN_ONLY:-0}" != 1 ]; then
    if exists "$image"; then say "using $image from local storage"; echo "$image"; return; fi
    say "pulling $image"
    if podman pull --quiet "$image" >/dev/null 2>"${TMPDIR:-/tmp}/base-image-pull.$$"; then
      rm -f "${TMPDIR:-/tmp}/base-image-pull.$$"; echo "$image"; return
    fi
    say "cannot pull $image: $(tail -1 "${TMPDIR:-/tmp}/base-image-pull.$$")"
    rm -f "${TMPDIR:-/tmp}/base-image-pull.$$"
  fi
  check_jdk
  local ref
  if [ "$flavor" = jdk ]; then ref=$(standin_jdk); else ref=$(standin_jre); fi
  say "NOTE: building on the STAND-IN base $ref instead of $image (Debian $suite + Java $(jdk_version))"
  echo "$ref"
}

chosen=$(choose)
if [ -n "$save" ]; then
  mkdir -p "$(dirname "$save")"
  rm -f "$save"
  podman save --quiet --format docker-archive -o "$save" "$chosen"
  say "saved $chosen to $save"
fi
echo "$chosen"
