// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "installscripts.h"

namespace QueueDeck::Api {

namespace {

// A name safe in unit, file and Kubernetes object names: lower case, digits and dashes.
QString slug(const QString &queueId)
{
    QString out;
    for (const QChar c : queueId.toLower())
        out += (c.isLetterOrNumber() && c.unicode() < 128) ? c : u'-';
    return out;
}

// The environment line that makes the worker pin the server's certificate, or nothing.
QString fingerprintLine(const InstallTarget &t)
{
    return t.serverFingerprint.isEmpty()
               ? QString()
               : QStringLiteral("QUEUEDECK_SERVER_FINGERPRINT=") + t.serverFingerprint + u'\n';
}

} // namespace

QString localInstallScript(const InstallTarget &t)
{
    const QString unit = QStringLiteral("queuedeck-worker-") + slug(t.queueId);
    return QStringLiteral(R"SCRIPT(#!/bin/sh
# QueueDeck worker for queue %1 (%2) on %3, as a systemd service.
# Run as root. Replace /usr/local/bin/handle-task with the program that handles one task
# (payload on stdin; exit 0 acknowledges). QUEUEDECK_ROOT=/some/dir writes the files there
# instead and leaves users and services alone.
set -eu
root=${QUEUEDECK_ROOT:-}
unit=%4

if [ -z "$root" ]; then
    getent passwd queuedeck >/dev/null ||
        useradd --system --no-create-home --shell /usr/sbin/nologin queuedeck
fi

mkdir -p "$root/etc/queuedeck" "$root/etc/systemd/system"
# The join token lives only in this file: readable by root, handed to the service by systemd.
umask 077
cat >"$root/etc/queuedeck/$unit.env" <<'ENV'
QUEUEDECK_TOKEN=%5
%6ENV
chmod 0600 "$root/etc/queuedeck/$unit.env"
umask 022

cat >"$root/etc/systemd/system/$unit.service" <<'UNIT'
[Unit]
Description=QueueDeck worker for queue %1
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
User=queuedeck
EnvironmentFile=/etc/queuedeck/%4.env
ExecStart=/usr/local/bin/qdeck worker start --queue-id %1 --server %3 -- /usr/local/bin/handle-task
Restart=on-failure
RestartSec=5
KillSignal=SIGTERM
TimeoutStopSec=120

[Install]
WantedBy=multi-user.target
UNIT

if [ -z "$root" ]; then
    systemctl daemon-reload
    systemctl enable --now "$unit.service"
    echo "started $unit.service; follow it with: journalctl -u $unit -f"
else
    echo "wrote $root/etc/systemd/system/$unit.service and $root/etc/queuedeck/$unit.env"
fi
)SCRIPT")
        .arg(t.queueId, t.queueName, t.serverUrl, unit, t.joinToken, fingerprintLine(t));
}

QString dockerInstallScript(const InstallTarget &t)
{
    const QString name = QStringLiteral("queuedeck-worker-") + slug(t.queueId);
    return QStringLiteral(R"SCRIPT(#!/bin/sh
# QueueDeck worker for queue %1 (%2) on %3, in a container.
# Run in a QueueDeck source checkout: the image is packaging/worker.Dockerfile, which copies
# packaging/handle-task.example as the handler; put your own handler there first.
set -eu
# The join token goes to the container through an env file, never through the command line.
umask 077
cat >%4.env <<'ENV'
QUEUEDECK_TOKEN=%5
%6ENV
umask 022
docker build -f packaging/worker.Dockerfile -t queuedeck-worker .
docker run -d --name %4 --restart on-failure --env-file %4.env queuedeck-worker \
    --queue-id %1 --server %3 -- /usr/local/bin/handle-task
)SCRIPT")
        .arg(t.queueId, t.queueName, t.serverUrl, name, t.joinToken, fingerprintLine(t));
}

QString kubernetesManifest(const InstallTarget &t)
{
    const QString name = QStringLiteral("queuedeck-worker-") + slug(t.queueId);
    return QStringLiteral(R"YAML(# QueueDeck worker for queue %1 (%2) on %3.
# kubectl apply -f this file. The image is built from packaging/worker.Dockerfile; the join
# token reaches the pods from the Secret, never from the pod spec.
apiVersion: v1
kind: Secret
metadata:
  name: %4
type: Opaque
stringData:
  QUEUEDECK_TOKEN: "%5"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: %4
  labels:
    app.kubernetes.io/name: queuedeck-worker
    queuedeck.io/queue-id: "%1"
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: queuedeck-worker
      queuedeck.io/queue-id: "%1"
  template:
    metadata:
      labels:
        app.kubernetes.io/name: queuedeck-worker
        queuedeck.io/queue-id: "%1"
    spec:
      terminationGracePeriodSeconds: 120
      containers:
        - name: worker
          image: queuedeck-worker:latest
          args: ["--queue-id", "%1", "--server", "%3", "--", "/usr/local/bin/handle-task"]
          env:
            - name: QUEUEDECK_TOKEN
              valueFrom:
                secretKeyRef:
                  name: %4
                  key: QUEUEDECK_TOKEN
%6)YAML")
        .arg(t.queueId, t.queueName, t.serverUrl, name, t.joinToken,
             t.serverFingerprint.isEmpty()
                 ? QString()
                 : QStringLiteral("            - name: QUEUEDECK_SERVER_FINGERPRINT\n"
                                  "              value: \"%1\"\n")
                       .arg(t.serverFingerprint));
}

} // namespace QueueDeck::Api
