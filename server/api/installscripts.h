// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace QueueDeck::Api {

// What GET /worker-queues/{id}/install-script hands out: everything needed to run a worker of
// one queue on a machine, with the join token kept out of every command line.
struct InstallTarget
{
    QString queueId;
    QString queueName;
    QString serverUrl;
    QString joinToken;
    QString serverFingerprint; // sha256:… of a self-signed server certificate, or empty
};

// "local": a shell script that installs a systemd service (system user, 0600 env file,
// EnvironmentFile=, restart on failure). QUEUEDECK_ROOT=<dir> writes every file under <dir>
// instead and skips useradd and systemctl, to try it out or to build an image.
QString localInstallScript(const InstallTarget &target);
// "docker": writes the env file, then the docker build and docker run --env-file lines.
QString dockerInstallScript(const InstallTarget &target);
// "kubernetes": a Secret with the token and a Deployment that reads it from the Secret.
QString kubernetesManifest(const InstallTarget &target);

} // namespace QueueDeck::Api
