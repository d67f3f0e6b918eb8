// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// queuedeck: the desktop control room. By default it runs the queue server in this process (its
// own thread, SQLite in the user's data directory, loopback) and shows its dashboard; the window
// can manage a remote `qdeck serve` instead.

#include "admintoken.h"
#include "dashboardcontroller.h"
#include "embeddedhost.h"
#include "engine.h"
#include "focusstyle.h"
#include "mainwindow.h"
#include "networkdialog.h"
#include "translationloader.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QEvent>
#include <QLibraryInfo>
#include <QLocale>
#include <QMessageBox>
#include <QStandardPaths>
#include <QTimer>
#include <QTranslator>

#include <cstdio>

using namespace QueueDeck;

namespace {

int fail(const QString &message)
{
    QMessageBox::critical(nullptr, QObject::tr("QueueDeck"), message);
    return 1;
}

} // namespace

// QUEUEDECK_STARTUP_REPORT=1 prints how long the start took, to the window's first paint and to
// the first paint with the server's dashboard in it; =quit then quits (for measurements).
class StartupReport final : public QObject
{
public:
    StartupReport(QWidget *window, Ui::DashboardController *controller, bool quit)
        : m_window(window), m_controller(controller), m_quit(quit)
    {
        m_clock.start();
        qApp->installEventFilter(this); // any widget of the window painting
    }
    void restart(qint64 alreadyMs) { m_offsetMs = alreadyMs; }

protected:
    bool eventFilter(QObject *object, QEvent *event) override
    {
        if (event->type() != QEvent::Paint || m_done || !object->isWidgetType() ||
            static_cast<QWidget *>(object)->window() != m_window)
            return false;
        const qint64 ms = m_offsetMs + m_clock.elapsed();
        if (!m_painted) {
            m_painted = true;
            std::fprintf(stderr, "queuedeck: first paint %lld ms after start\n", ms);
        }
        if (m_controller->lastSnapshot().updatedAtMs > 0) {
            m_done = true;
            std::fprintf(
                stderr,
                "queuedeck: first paint with the dashboard (%d queues, %d workers) %lld ms "
                "after start\n",
                m_controller->lastSnapshot().queueCount, m_controller->lastSnapshot().activeWorkers,
                ms);
            if (m_quit)
                QTimer::singleShot(500, qApp, &QCoreApplication::quit);
        }
        return false;
    }

private:
    QElapsedTimer m_clock;
    QWidget *m_window;
    Ui::DashboardController *m_controller;
    qint64 m_offsetMs = 0;
    bool m_quit;
    bool m_painted = false;
    bool m_done = false;
};

int main(int argc, char *argv[])
{
    QElapsedTimer sinceStart;
    sinceStart.start();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("QueueDeck"));
    QApplication::setApplicationName(QStringLiteral("queuedeck"));
    QApplication::setApplicationDisplayName(QStringLiteral("QueueDeck"));
    QApplication::setApplicationVersion(QStringLiteral(QUEUEDECK_VERSION));
    // The installed desktop entry (packaging/): Wayland shells find the window's icon through it.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.queuedeck.QueueDeck"));
    Ui::FocusStyle::install(); // a focus ring on lists and text panes too
    // Closing the window may leave the server running in the tray.
    QApplication::setQuitOnLastWindowClosed(false);

    QTranslator qtTranslator;
    if (qtTranslator.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                          QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
    QTranslator translator;
    // English whenever no other language matches (LANG=C.UTF-8 too): its plural forms.
    if (!Ui::TranslationLoader::load(translator).isEmpty())
        QApplication::installTranslator(&translator);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QObject::tr("QueueDeck: durable task queues, with their server embedded."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dataDir(
        QStringLiteral("data-dir"), QObject::tr("where the embedded server keeps its data"),
        QStringLiteral("dir"),
        // The same as `qdeck serve`'s, so that `qdeck` commands find this server's admin token.
        QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
            .filePath(QStringLiteral("queuedeck")));
    const QCommandLineOption port(QStringLiteral("port"),
                                  QObject::tr("the port to serve on (default: the Network "
                                              "setting, 7070; another free one when taken)"),
                                  QStringLiteral("port"));
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

    EmbeddedHost host(engine, token->token, engineOptions.dataDirectory);
    Ui::NetworkSettings network = Ui::NetworkDialog::load();
    if (parser.isSet(port))
        network.port = quint16(parser.value(port).toUInt());
    // The very first start only: a loopback port taken (another QueueDeck?) gives any free one.
    if (QString error = host.start(network, EmbeddedHost::WhenPortTaken::AnyFreePort);
        !error.isEmpty()) {
        if (!network.acceptRemoteWorkers)
            return fail(error);
        // The network setting cannot be honoured now (address, certificate): serve this
        // computer, and say why.
        Ui::NetworkSettings local = network;
        local.acceptRemoteWorkers = false;
        if (const QString again = host.start(local, EmbeddedHost::WhenPortTaken::AnyFreePort);
            !again.isEmpty())
            return fail(again);
        QMessageBox::warning(nullptr, QObject::tr("QueueDeck"),
                             QObject::tr("Could not accept workers from other machines (%1); "
                                         "serving this computer only.")
                                 .arg(error));
    }

    Ui::MainWindow window(&host);
    QObject::connect(&window, &Ui::MainWindow::quitRequested, &app, &QApplication::quit);
    window.connectTo(window.embeddedTarget());
    std::unique_ptr<StartupReport> report;
    if (const QByteArray mode = qgetenv("QUEUEDECK_STARTUP_REPORT"); !mode.isEmpty()) {
        report = std::make_unique<StartupReport>(&window, window.controller(), mode == "quit");
        report->restart(sinceStart.elapsed());
    }
    window.show();
    const int code = app.exec();
    host.stop();
    return code;
}
