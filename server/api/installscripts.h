// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace QueueDeck::Api {

// The worker image the docker script and the Kubernetes manifest name unless asked for another:
// queuedeck-worker:<version>, as packaging/worker.Dockerfile builds it.
QString defaultWorkerImage();
// Whether text can stand as an image name in a shell script and a manifest: a non-empty
// reference of letters, digits and . _ - / : @ that starts with a letter or digit.
bool isImageReference(const QString &text);

// What GET /worker-queues/{id}/install-script hands out: everything needed to run a worker of
// one queue on a machine, with the join token kept out of every command line.
struct InstallTarget
{
    QString queueId;
    QString queueName;
    QString serverUrl;
    QString joinToken;
    QString image = defaultWorkerImage(); // the worker image of docker and kubernetes
    QString serverFingerprint; // sha256:… of a self-signed server certificate, or empty
};

// "local": a shell script that writes /etc/queuedeck/worker-<slug>.env (0600: QUEUEDECK_TOKEN,
// QUEUEDECK_QUEUE_ID, QUEUEDECK_SERVER, QUEUEDECK_HANDLER) and, when the qdeck package is installed
// (/usr/bin/qdeck), enables its qdeck-worker@<slug> instance; otherwise it installs a systemd
// service of its own reading the same file (system user, restart on failure).
// QUEUEDECK_ROOT=<dir> writes every file under <dir> instead and skips useradd and systemctl.
QString localInstallScript(const InstallTarget &target);
// "docker": writes the env file, then the docker build and docker run --env-file lines.
QString dockerInstallScript(const InstallTarget &target);
// "kubernetes": a Secret with the token and a Deployment that reads it from the Secret.
QString kubernetesManifest(const InstallTarget &target);

} // namespace QueueDeck::Api
