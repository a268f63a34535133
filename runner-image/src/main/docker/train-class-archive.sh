#!/bin/sh
# Builds the runner's AppCDS archive: a training start of each command a sandbox pod runs
# (init-workspace, install-executor, serve until /readyz answers), their loaded-class lists merged,
# then a static archive dumped from that list. Run at image build time: the image's root
# filesystem is read-only at run time, so the JVM can only read the archive there, never write it.
#
# usage: train-class-archive.sh JAR ARCHIVE   (java and curl on the PATH; serve listens on
# 127.0.0.1:$AGENT_TRAINING_PORT, default 18089)
set -eu
jar=$1
archive=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export AGENT_WORKSPACE_DIR="$work/workspace" AGENT_STATE_DIR="$work/state"

java -XX:DumpLoadedClassList="$work/init.classlist" -jar "$jar" init-workspace
java -XX:DumpLoadedClassList="$work/install.classlist" -jar "$jar" install-executor "$work/agent"

port=${AGENT_TRAINING_PORT:-18089}
AGENT_RUNNER_ADDRESS="127.0.0.1:$port" AGENT_RUNNER_TOKEN=training \
  AGENT_EXECUTOR_SOCKET="$work/executor.sock" \
  AGENT_MODEL_BASE_URL=http://127.0.0.1:9/v1 AGENT_MODEL_NAME=training \
  java -XX:DumpLoadedClassList="$work/serve.classlist" -jar "$jar" serve &
serve=$!
tries=0
until curl -sf -o /dev/null "http://127.0.0.1:$port/readyz"; do
  tries=$((tries + 1))
  if [ "$tries" -gt 1200 ] || ! kill -0 "$serve" 2>/dev/null; then
    echo "train-class-archive: serve did not become ready" >&2
    exit 1
  fi
  sleep 0.1
done
kill -TERM "$serve"
wait "$serve" || true

# The lists number their classes per process; the numbers matter only for classes of custom
# loaders (none here), so they are dropped and the lists merged without duplicates.
cat "$work"/*.classlist | grep -v '^#' | sed -E 's/ id: [0-9]+//' | awk '!seen[$0]++' \
  > "$work/all.classlist"
# Written under another name and renamed when it is known good: a JVM never maps a half-written
# archive, and a training that outlives whoever started it still leaves a whole one.
partial="$archive.partial-$$"
java -Xshare:dump -XX:SharedClassListFile="$work/all.classlist" \
  -XX:SharedArchiveFile="$partial" -cp "$jar"
chmod 0444 "$partial"
# The archive must be usable with this jar, or the build fails here rather than shipping none.
if ! java -Xshare:on -XX:SharedArchiveFile="$partial" -jar "$jar" help > /dev/null; then
  rm -f "$partial"
  echo "train-class-archive: the archive is not usable with $jar" >&2
  exit 1
fi
mv -f "$partial" "$archive"
