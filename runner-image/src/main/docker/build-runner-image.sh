#!/usr/bin/env bash
# Builds the runner image from runner-image/Dockerfile into the local podman storage, on the base
# images given (used when present or pullable; otherwise stand-ins: see base-image.sh).
#
# usage: build-runner-image.sh IMAGE JDK_IMAGE JRE_IMAGE   (run from anywhere; the shaded jar
# runner-image/target/agent-runner-*-all.jar must be built first)
set -euo pipefail
image=${1:?usage: build-runner-image.sh IMAGE JDK_IMAGE JRE_IMAGE}
jdk_image=${2:?usage: build-runner-image.sh IMAGE JDK_IMAGE JRE_IMAGE}
jre_image=${3:?usage: build-runner-image.sh IMAGE JDK_IMAGE JRE_IMAGE}
here=$(cd "$(dirname "$0")" && pwd)
context=$(cd "$here/../../.." && pwd)

jdk=$("$here/base-image.sh" jdk "$jdk_image")
jre=$("$here/base-image.sh" jre "$jre_image")
echo "[runner-image] podman build -t $image (JDK_IMAGE=$jdk, JRE_IMAGE=$jre)" >&2
podman build --pull=never --build-arg "JDK_IMAGE=$jdk" --build-arg "JRE_IMAGE=$jre" \
  --tag "$image" "$context"
echo "[runner-image] built $image" >&2
