// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "installscripts.h"

#include <algorithm>

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

QString defaultWorkerImage()
{
    return QStringLiteral("queuedeck-worker:") + QString::fromLatin1(QUEUEDECK_VERSION);
}

bool isImageReference(const QString &text)
{
    if (text.isEmpty() || text.size() > 255 || !text.front().isLetterOrNumber())
        return false;
    return std::all_of(text.cbegin(), text.cend(), [](QChar c) {
        return c.unicode() < 128 && (c.isLetterOrNumber() || QStringView(u"._-/:@").contains(c));
    });
}

QString localInstallScript(const InstallTarget &t)
{
    // The environment file is the one the packaged qdeck-worker@.service reads
    // (EnvironmentFile=/etc/queuedeck/worker-%i.env): with the package installed, the script only
    // writes it and enables an instance of that unit.
    return QStringLiteral(R"SCRIPT(#!/bin/sh
# QueueDeck worker for queue %1 (%2) on %3, as a systemd service.
# Run as root on the machine that should work on this queue. It needs qdeck there: the qdeck
# package (apt install ./qdeck_*.deb, built with `cmake --build build --target package`), or the
# qdeck program copied to /usr/local/bin. The handler is /usr/local/bin/handle-task unless
# QUEUEDECK_HANDLER names another program (it gets one task's payload on stdin; exit 0
# acknowledges). QUEUEDECK_ROOT=/some/dir writes the files there instead and leaves users and
# services alone.
set -eu
root=${QUEUEDECK_ROOT:-}
slug=%4
handler=${QUEUEDECK_HANDLER:-/usr/local/bin/handle-task}
env_file="$root/etc/queuedeck/worker-$slug.env"

if [ -x "$root/usr/bin/qdeck" ]; then
    packaged=yes   # the qdeck package: its qdeck-worker@.service reads the file below
elif [ -x "$root/usr/local/bin/qdeck" ] || [ -n "$root" ]; then
    packaged=no
else
    echo "qdeck is not installed: install the qdeck package (apt install ./qdeck_*.deb) or copy" >&2
    echo "the qdeck program to /usr/local/bin, then run this script again." >&2
    exit 1
fi

# The join token lives only in this file: readable by root, handed to the service by systemd.
mkdir -p "$root/etc/queuedeck"
umask 077
cat >"$env_file" <<'ENV'
QUEUEDECK_TOKEN=%5
QUEUEDECK_QUEUE_ID=%1
QUEUEDECK_SERVER=%3
%6ENV
printf 'QUEUEDECK_HANDLER=%s\n' "$handler" >>"$env_file"
chmod 0600 "$env_file"
umask 022

if [ "$packaged" = yes ]; then
    unit="qdeck-worker@$slug.service"
    if [ -z "$root" ]; then
        systemctl enable --now "$unit"
        echo "started $unit; follow it with: journalctl -u $unit -f"
    else
        echo "wrote $env_file for $unit"
    fi
    exit 0
fi

# Without the package: a unit of its own, reading the same file.
unit=queuedeck-worker-$slug
if [ -z "$root" ]; then
    getent passwd queuedeck >/dev/null ||
        useradd --system --no-create-home --shell /usr/sbin/nologin queuedeck
fi
mkdir -p "$root/etc/systemd/system"
cat >"$root/etc/systemd/system/$unit.service" <<'UNIT'
[Unit]
Description=QueueDeck worker for queue %1
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
User=queuedeck
EnvironmentFile=/etc/queuedeck/worker-%4.env
ExecStart=/usr/local/bin/qdeck worker start --queue-id ${QUEUEDECK_QUEUE_ID} --server ${QUEUEDECK_SERVER} -- ${QUEUEDECK_HANDLER}
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
    echo "wrote $root/etc/systemd/system/$unit.service and $env_file"
fi
)SCRIPT")
        .arg(t.queueId, t.queueName, t.serverUrl, slug(t.queueId), t.joinToken, fingerprintLine(t));
}

QString dockerInstallScript(const InstallTarget &t)
{
    const QString name = QStringLiteral("queuedeck-worker-") + slug(t.queueId);
    return QStringLiteral(R"SCRIPT(#!/bin/sh
# QueueDeck worker for queue %1 (%2) on %3, in a container.
# Where the image comes from: run in a QueueDeck source checkout, this script builds it from
# packaging/worker.Dockerfile (the headless qdeck, with packaging/handle-task.example as the
# handler: put your own handler there first); run anywhere else, it pulls %6, which you built
# and pushed to your registry the same way (docker build -f packaging/worker.Dockerfile -t %6 .
# && docker push %6; name it with ?image= on this script's address).
set -eu
image=%6
# The join token goes to the container through an env file, never through the command line.
umask 077
cat >%4.env <<'ENV'
QUEUEDECK_TOKEN=%5
%7ENV
umask 022
if [ -f packaging/worker.Dockerfile ]; then
    docker build -f packaging/worker.Dockerfile -t "$image" .
else
    docker pull "$image"
fi
docker run -d --name %4 --restart on-failure --env-file %4.env "$image" \
    --queue-id %1 --server %3 -- /usr/local/bin/handle-task
)SCRIPT")
        .arg(t.queueId, t.queueName, t.serverUrl, name, t.joinToken, t.image, fingerprintLine(t));
}

QString kubernetesManifest(const InstallTarget &t)
{
    const QString name = QStringLiteral("queuedeck-worker-") + slug(t.queueId);
    return QStringLiteral(R"YAML(# QueueDeck worker for queue %1 (%2) on %3.
# kubectl apply -f this file. The join token reaches the pods from the Secret, never from the
# pod spec. The image, %6, is the worker image of packaging/worker.Dockerfile (the headless qdeck
# and the handler /usr/local/bin/handle-task): build and push it where the cluster pulls from,
#   docker build -f packaging/worker.Dockerfile -t registry.example.com/queuedeck-worker:%7 .
#   docker push registry.example.com/queuedeck-worker:%7
# and ask for this manifest with ?image=registry.example.com/queuedeck-worker:%7 (or load the
# image into a local cluster: kind load docker-image %6).
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
          image: %6
          imagePullPolicy: IfNotPresent
          args: ["--queue-id", "%1", "--server", "%3", "--", "/usr/local/bin/handle-task"]
          env:
            - name: QUEUEDECK_TOKEN
              valueFrom:
                secretKeyRef:
                  name: %4
                  key: QUEUEDECK_TOKEN
%8)YAML")
        .arg(t.queueId, t.queueName, t.serverUrl, name, t.joinToken, t.image,
             QString::fromLatin1(QUEUEDECK_VERSION),
             t.serverFingerprint.isEmpty()
                 ? QString()
                 : QStringLiteral("            - name: QUEUEDECK_SERVER_FINGERPRINT\n"
                                  "              value: \"%1\"\n")
                       .arg(t.serverFingerprint));
}

} // namespace QueueDeck::Api
