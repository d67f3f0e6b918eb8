// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// queuedeck: the desktop control room. By default it runs the queue server in this process (its
// own thread, SQLite in the user's data directory, loopback) and shows its dashboard.

#include "admintoken.h"
#include "apiserver.h"
#include "dashboardcontroller.h"
#include "dashboardview.h"
#include "engine.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QMainWindow>
#include <QMessageBox>
#include <QStandardPaths>

using namespace QueueDeck;

namespace {

int fail(const QString &message)
{
    QMessageBox::critical(nullptr, QObject::tr("QueueDeck"), message);
    return 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("queuedeck"));
    QApplication::setApplicationDisplayName(QStringLiteral("QueueDeck"));
    QApplication::setApplicationVersion(QStringLiteral(QUEUEDECK_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QObject::tr("QueueDeck: durable task queues, with their server embedded."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dataDir(
        QStringLiteral("data-dir"), QObject::tr("where the embedded server keeps its data"),
        QStringLiteral("dir"), QStandardPaths::writableLocation(QStandardPaths::AppDataLocation));
    const QCommandLineOption port(QStringLiteral("port"),
                                  QObject::tr("the loopback port to serve on (default 7070; "
                                              "another free one when taken)"),
                                  QStringLiteral("port"), QStringLiteral("7070"));
    parser.addOptions({dataDir, port});
    parser.process(app);

    EngineOptions engineOptions;
    engineOptions.dataDirectory = parser.value(dataDir);
    QDir().mkpath(engineOptions.dataDirectory);
    Engine engine(engineOptions);
    if (auto started = engine.start(); !started)
        return fail(started.error().message);
    auto token = Api::prepareAdminToken(engine, engineOptions.dataDirectory, false);
    if (token && token->token.isEmpty()) // the file is gone: this user owns the server, renew it
        token = Api::prepareAdminToken(engine, engineOptions.dataDirectory, true);
    if (!token)
        return fail(token.error().message);

    Api::ApiOptions apiOptions;
    apiOptions.port = quint16(parser.value(port).toUInt());
    auto api = std::make_unique<Api::ApiServer>(engine, apiOptions);
    if (!api->start().isEmpty()) {
        apiOptions.port = 0; // taken (another QueueDeck?): any free port
        api = std::make_unique<Api::ApiServer>(engine, apiOptions);
        if (const QString error = api->start(); !error.isEmpty())
            return fail(error);
    }
    const QString url = QStringLiteral("http://127.0.0.1:%1").arg(api->port());

    QMainWindow window;
    window.setWindowTitle(QObject::tr("QueueDeck — %1").arg(url));
    auto *view = new Ui::DashboardView(&window);
    window.setCentralWidget(view);
    Ui::DashboardController controller(Client::ClientOptions{QUrl(url), token->token}, view);
    controller.start();
    window.resize(1280, 800);
    window.show();
    const int code = app.exec();
    api->stop();
    return code;
}
