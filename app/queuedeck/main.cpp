// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// queuedeck: the desktop control room. By default it runs the queue server in this process (its
// own thread, SQLite in the user's data directory, loopback) and shows its dashboard; the window
// can manage a remote `qdeck serve` instead.

#include "admintoken.h"
#include "apihost.h"
#include "dashboardcontroller.h"
#include "engine.h"
#include "faktoryserver.h"
#include "focusstyle.h"
#include "mainwindow.h"
#include "networkdialog.h"
#include "servercertificate.h"
#include "translationloader.h"
#include "workerprogram.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QEvent>
#include <QHostAddress>
#include <QLibraryInfo>
#include <QLocale>
#include <QMessageBox>
#include <QStandardPaths>
#include <QSysInfo>
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

// The server of this process: its API listens as the network settings say, on the engine's
// thread; the window reaches it over loopback like any client.
class EmbeddedHost final : public Ui::EmbeddedServer
{
public:
    EmbeddedHost(Engine &engine, QString token, QString dataDirectory)
        : m_engine(engine), m_token(std::move(token)), m_dataDirectory(std::move(dataDirectory))
    {}
    ~EmbeddedHost() override { stop(); }

    QString start(const Ui::NetworkSettings &network)
    {
        Api::ApiOptions options;
        options.address = network.acceptRemoteWorkers ? QHostAddress(QHostAddress::Any)
                                                      : QHostAddress(QHostAddress::LocalHost);
        options.port = network.port;
        const bool givenCertificate =
            !network.tlsCertPath.isEmpty() && !network.tlsKeyPath.isEmpty();
        // Beyond loopback always HTTPS: with the certificate given, or a self-signed one kept in
        // the data directory, whose fingerprint the connect commands carry.
        const bool tls = givenCertificate || network.acceptRemoteWorkers;
        if (givenCertificate) {
            options.certificatePath = network.tlsCertPath;
            options.keyPath = network.tlsKeyPath;
        }
        if (network.acceptRemoteWorkers) {
            options.publicUrl = !network.publicUrl.isEmpty() ? network.publicUrl
                                                             : QStringLiteral("https://%1:%2")
                                                                   .arg(QSysInfo::machineHostName())
                                                                   .arg(network.port);
            if (!givenCertificate) {
                auto certificate = Api::prepareServerCertificate(
                    m_dataDirectory, Api::certificateHosts(options.publicUrl, {}));
                if (!certificate)
                    return certificate.error().message;
                options.certificatePath = certificate->certificatePath;
                options.keyPath = certificate->keyPath;
            }
        }
        if (!network.acceptRemoteWorkers) {
            // Only this machine can reach a loopback server, so its connect command must work
            // here: it names the qdeck beside this program when no qdeck is on the PATH.
            options.workerProgram =
                Api::workerProgramBeside(QCoreApplication::applicationDirPath());
        }
        auto api = std::make_unique<Api::ApiHost>(m_engine, options);
        QString error = api->start();
        if (!error.isEmpty() && !network.acceptRemoteWorkers) {
            options.port = 0; // loopback port taken (another QueueDeck?): any free one
            api = std::make_unique<Api::ApiHost>(m_engine, options);
            error = api->start();
        }
        if (!error.isEmpty())
            return error;
        stop();
        m_api = std::move(api);
        m_network = network;
        m_tls = tls;
        if (network.faktory) {
            // Always with its password (Faktory's own clients cannot pin a certificate, so the
            // password is what keeps strangers out), over TLS whenever the API is.
            Faktory::FaktoryOptions faktory;
            faktory.address = options.address;
            faktory.port = network.faktoryPort;
            faktory.requirePassword = true;
            faktory.certificatePath = options.certificatePath;
            faktory.keyPath = options.keyPath;
            auto server = std::make_unique<Faktory::FaktoryServer>(m_engine, faktory);
            if (const QString refused = server->start(); !refused.isEmpty()) {
                stop();
                return refused;
            }
            m_faktory = std::move(server);
        }
        return {};
    }

    void stop()
    {
        m_faktory.reset(); // stops it
        if (m_api)
            m_api->stop();
        m_api.reset();
    }

    QString faktoryUrl() const override
    {
        if (!m_faktory)
            return {};
        const QString host = m_network.acceptRemoteWorkers ? QSysInfo::machineHostName()
                                                           : QStringLiteral("127.0.0.1");
        return QStringLiteral("%1://%2:%3")
            .arg(m_tls ? QStringLiteral("tcp+tls") : QStringLiteral("tcp"), host)
            .arg(m_faktory->port());
    }
    Result<QString> faktoryPassword() override { return m_engine.faktoryPassword(false).result(); }
    Result<QString> rotateFaktoryPassword() override
    {
        return m_engine.faktoryPassword(true).result();
    }

    QUrl url() const override
    {
        return QUrl(QStringLiteral("%1://127.0.0.1:%2")
                        .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))
                        .arg(m_api ? m_api->port() : 0));
    }
    QString adminToken() const override { return m_token; }
    Ui::NetworkSettings network() const override { return m_network; }

    QString applyNetwork(const Ui::NetworkSettings &network) override
    {
        const Ui::NetworkSettings before = m_network;
        stop(); // the port may be the same: free it first
        if (QString error = start(network); !error.isEmpty()) {
            if (const QString again = start(before); !again.isEmpty())
                return QObject::tr("The server could not listen that way (%1), nor as before "
                                   "(%2): it does not listen now; restart QueueDeck.")
                    .arg(error, again);
            return QObject::tr("The server could not listen that way (%1); it listens as "
                               "before.")
                .arg(error);
        }
        return {};
    }

    QString securityWarning() const override
    {
        if (!m_network.acceptRemoteWorkers || m_tls)
            return {};
        return QObject::tr("Accepting workers from other machines without TLS: tokens and tasks "
                           "cross the network in plain text. Add a certificate under Network….");
    }

private:
    Engine &m_engine;
    QString m_token;
    QString m_dataDirectory;
    std::unique_ptr<Api::ApiHost> m_api;
    std::unique_ptr<Faktory::FaktoryServer> m_faktory;
    Ui::NetworkSettings m_network;
    bool m_tls = false;
};

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
    if (QString error = host.start(network); !error.isEmpty()) {
        if (!network.acceptRemoteWorkers)
            return fail(error);
        // The network setting cannot be honoured now (address, certificate): serve this
        // computer, and say why.
        Ui::NetworkSettings local = network;
        local.acceptRemoteWorkers = false;
        if (const QString again = host.start(local); !again.isEmpty())
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
