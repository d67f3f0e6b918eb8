# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
# A QueueDeck worker in a container: qdeck from Debian 12's Qt 6 packages plus the task handler.
# The join token comes from the environment at run time (docker run --env-file), never from the
# image or the command line.
#
#   docker build -f packaging/worker.Dockerfile -t queuedeck-worker .
#   docker run -d --restart on-failure --env-file queuedeck-worker.env queuedeck-worker \
#       --queue-id Q_ID --server https://queues.example.com -- /usr/local/bin/handle-task
FROM debian:12-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
        build-essential cmake ninja-build qt6-base-dev libqt6sql6-sqlite libsqlite3-dev \
        libhttp-parser-dev && rm -rf /var/lib/apt/lists/*
COPY . /src
RUN cmake -S /src -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DQUEUEDECK_BUILD_TESTS=OFF -DQUEUEDECK_BUILD_BENCH=OFF \
    && cmake --build /build --target qdeck

FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
        libqt6core6 libqt6network6 libqt6sql6 libqt6sql6-sqlite libhttp-parser2.9 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --no-create-home --shell /usr/sbin/nologin queuedeck
COPY --from=build /build/bin/qdeck /usr/local/bin/qdeck
# Replace with the program that handles one task (payload on stdin, exit 0 on success).
COPY packaging/handle-task.example /usr/local/bin/handle-task
USER queuedeck
ENTRYPOINT ["/usr/local/bin/qdeck", "worker", "start"]
