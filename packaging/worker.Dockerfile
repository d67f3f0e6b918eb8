# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
# A QueueDeck worker in a container: the headless `qdeck` (no desktop app, QtCore, QtNetwork and
# QtSql only) and the task handler, on debian:12-slim. The build stage runs
# packaging/build-worker.sh, the script CI runs on the checkout, so the recipe is tested where
# there is no Docker. The runtime stage has no compiler and runs as a user of its own; the join
# token comes from the environment at run time (docker run --env-file, a Kubernetes Secret),
# never from the image or the command line.
#
# Build it in a QueueDeck checkout, push it where your machines or cluster pull from:
#   docker build -f packaging/worker.Dockerfile -t registry.example.com/queuedeck-worker:0.1.0 .
#   docker push registry.example.com/queuedeck-worker:0.1.0
# and run it (the Docker install script of a queue does this):
#   docker run -d --restart on-failure --env-file queuedeck-worker.env queuedeck-worker \
#       --queue-id Q_ID --server https://queues.example.com -- /usr/local/bin/handle-task
FROM debian:12-slim AS build
COPY . /src
RUN QUEUEDECK_BUILD_TYPE=Release /src/packaging/build-worker.sh /out /build

FROM debian:12-slim
# What the headless qdeck needs at run time, from the same list the package check verifies.
COPY scripts/packages/worker-runtime.txt /tmp/worker-runtime.txt
RUN apt-get update \
    && apt-get install -y --no-install-recommends $(sed 's/#.*//' /tmp/worker-runtime.txt) \
    && rm -rf /var/lib/apt/lists/* /tmp/worker-runtime.txt \
    && useradd --system --no-create-home --shell /usr/sbin/nologin --uid 10001 queuedeck
COPY --from=build /out/ /
# Replace with the program that handles one task (payload on stdin, exit 0 on success).
COPY packaging/handle-task.example /usr/local/bin/handle-task
USER queuedeck
ENTRYPOINT ["/usr/local/bin/qdeck", "worker", "start"]
