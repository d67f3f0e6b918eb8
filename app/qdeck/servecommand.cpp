// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "servecommand.h"

#include "shutdownsignals.h"

#include "admintoken.h"
#include "apihost.h"
#include "clusterkey.h"
#include "clusterserve.h"
#include "engine.h"
#include "faktorylistener.h"
#include "faktoryserver.h"
#include "postgresconnection.h"
#include "servercertificate.h"
#include "storefactory.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QStandardPaths>
#include <QTextStream>
#include <QUrlQuery>

#include <cstdio>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace QueueDeck::Cli {

using namespace Qt::StringLiterals;

namespace {

bool s_jsonLogs = false;

// Blocks of 16 KiB and more get pages of their own (mmap) rather than a place in the heap. Each
// connection's socket keeps a read block of 16 KiB (Qt's buffer, and a write block of 32 KiB while
// an answer waits to go out) of which a request writes a few hundred bytes. In the heap, a
// thousand reconnecting long-polls left it far larger than what was ever written, and the churn of
// connections kept touching more of it: the resident size grew for as long as the server ran
// (docs/reliability.md, "Soak"). With pages of their own, only the written pages are resident,
// and they go back when the connection closes. Returns false when the C library refused.
bool keepLargeBlocksOutOfTheHeap()
{
#ifdef __GLIBC__
    return mallopt(M_MMAP_THRESHOLD, 16 * 1024) == 1;
#else
    return true;
#endif
}

void logMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const char *level = type == QtDebugMsg     ? "debug"
                        : type == QtInfoMsg    ? "info"
                        : type == QtWarningMsg ? "warning"
                                               : "error";
    QByteArray line;
    if (s_jsonLogs) {
        line = QJsonDocument(
                   QJsonObject{{QStringLiteral("time"),
                                QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
                               {QStringLiteral("level"), QString::fromLatin1(level)},
                               {QStringLiteral("category"), QString::fromLatin1(context.category)},
                               {QStringLiteral("message"), message}})
                   .toJson(QJsonDocument::Compact);
    } else {
        line = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toUtf8() + ' ' + level +
               ' ' + context.category + ": " + message.toUtf8();
    }
    line.append('\n');
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
}

// A PostgreSQL URL without its password; the password (from the URL, which only the config file
// may carry, or from the config file's database-password) goes to libpq through PGPASSWORD in
// this process's environment, so it never shows in argv, logs or messages.
Result<QString> takePostgresPassword(const QString &location, const QString &extraPassword)
{
    QUrl url(location);
    if (!url.isValid() || url.host().isEmpty())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("the database URL cannot be read; write it as "
                                        "postgresql://user@host:port/database"));
    QString password = url.password();
    QUrlQuery query(url);
    if (query.hasQueryItem(QStringLiteral("password"))) {
        password = query.queryItemValue(QStringLiteral("password"), QUrl::FullyDecoded);
        query.removeAllQueryItems(QStringLiteral("password"));
        url.setQuery(query);
    }
    if (password.isEmpty())
        password = extraPassword;
    url.setPassword({});
    if (!password.isEmpty())
        qputenv("PGPASSWORD", password.toUtf8());
    return url.toString();
}

} // namespace

int serve(QCoreApplication &app, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Run the QueueDeck queue server and its HTTP API."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption listen(
        QStringLiteral("listen"),
        QStringLiteral("Address and port to listen on (default 127.0.0.1:7070)."),
        QStringLiteral("host:port"));
    const QCommandLineOption publicUrl(
        QStringLiteral("public-url"),
        QStringLiteral("The URL workers reach this server at; connect commands advertise it."),
        QStringLiteral("url"));
    const QCommandLineOption advertiseUrl(
        QStringLiteral("advertise-url"),
        QStringLiteral("In a cluster (--database postgresql://…): the URL the other nodes reach "
                       "this one at, to forward requests to it while it leads (default: the URL "
                       "it listens on)."),
        QStringLiteral("url"));
    const QCommandLineOption dataDir(
        QStringLiteral("data-dir"),
        QStringLiteral("Directory for the database, lock and admin token."), QStringLiteral("dir"));
    const QCommandLineOption database(
        QStringLiteral("database"),
        QStringLiteral("Database: a SQLite file (default <data-dir>/queuedeck.db), or a "
                       "postgresql://user@host:port/database URL. Its password never goes on the "
                       "command line: PGPASSWORD, PGPASSFILE, or the config file's database or "
                       "database-password key."),
        QStringLiteral("path|url"));
    const QCommandLineOption clusterKeyFile(
        QStringLiteral("cluster-key-file"),
        QStringLiteral("In a cluster: the file holding the key that join tokens are encrypted "
                       "with in the database, the same on every node (default: "
                       "QUEUEDECK_CLUSTER_KEY, else <data-dir>/cluster-key, made on the first "
                       "start)."),
        QStringLiteral("file"));
    const QCommandLineOption durability(
        QStringLiteral("durability"),
        QStringLiteral(
            "normal (survives the process dying, default) or full (survives power loss)."),
        QStringLiteral("level"));
    const QCommandLineOption tlsCert(QStringLiteral("tls-cert"),
                                     QStringLiteral("PEM certificate chain: serve HTTPS."),
                                     QStringLiteral("file"));
    const QCommandLineOption tlsKey(QStringLiteral("tls-key"),
                                    QStringLiteral("PEM private key for --tls-cert."),
                                    QStringLiteral("file"));
    const QCommandLineOption insecureHttp(
        QStringLiteral("insecure-http"),
        QStringLiteral("Serve plain HTTP beyond loopback (tokens cross the network in clear text). "
                       "Without it, and without --tls-cert, a server beyond loopback makes a "
                       "self-signed certificate in <data-dir>/tls and serves HTTPS."));
    const QCommandLineOption selfSigned(
        QStringLiteral("self-signed-tls"),
        QStringLiteral("Serve HTTPS with the self-signed certificate of <data-dir>/tls even on "
                       "loopback (beyond loopback it is the default)."));
    const QCommandLineOption config(
        QStringLiteral("config"),
        QStringLiteral("INI file with the same keys (listen=, data-dir=, …)."),
        QStringLiteral("file"));
    const QCommandLineOption logFormat(QStringLiteral("log-format"),
                                       QStringLiteral("plain (default) or json."),
                                       QStringLiteral("format"));
    const QCommandLineOption resetAdmin(
        QStringLiteral("reset-admin-token"),
        QStringLiteral("Make a new admin token (the old one stops working) and write it to "
                       "<data-dir>/admin-token."));
    const QCommandLineOption faktoryListen(
        QStringLiteral("faktory-listen"),
        QStringLiteral("Also speak the Faktory work protocol on this address and port (e.g. "
                       "127.0.0.1:7419); off by default. In a cluster, give it to every node: "
                       "the leader serves Faktory clients, the others pass their connections on "
                       "to it. See docs/faktory.md."),
        QStringLiteral("host:port"));
    const QCommandLineOption faktoryEnvironment(
        QStringLiteral("faktory-environment"),
        QStringLiteral("Environment of the Faktory queues (default: default)."),
        QStringLiteral("env"));
    const QCommandLineOption faktoryNoPassword(
        QStringLiteral("faktory-no-password"),
        QStringLiteral("Faktory clients need no password (loopback only)."));
    const QCommandLineOption faktoryAllowFlush(
        QStringLiteral("faktory-allow-flush"),
        QStringLiteral("Let Faktory clients FLUSH (purge every queue of the environment)."));
    const QCommandLineOption rotateFaktoryPassword(
        QStringLiteral("rotate-faktory-password"),
        QStringLiteral("Make a new Faktory password (the old one stops working) and write it to "
                       "<data-dir>/faktory-password."));
    const QCommandLineOption faktoryTls(
        QStringLiteral("faktory-tls"),
        QStringLiteral("Serve the Faktory listener over TLS on loopback too (beyond loopback it "
                       "always does, unless --insecure-http); clients use tcp+tls://."));
    const QCommandLineOption restore(
        QStringLiteral("restore"),
        QStringLiteral("Start from a backup (qdeck admin backup): it replaces the database, which "
                       "is kept beside it as <name>.before-restore-<time>, and a new admin token "
                       "is written. Refused for a file that "
                       "is not a QueueDeck database or was written by a newer QueueDeck."),
        QStringLiteral("file"));
    parser.addOptions({listen,
                       publicUrl,
                       advertiseUrl,
                       dataDir,
                       database,
                       clusterKeyFile,
                       durability,
                       tlsCert,
                       tlsKey,
                       insecureHttp,
                       selfSigned,
                       config,
                       logFormat,
                       resetAdmin,
                       restore,
                       faktoryListen,
                       faktoryEnvironment,
                       faktoryNoPassword,
                       faktoryAllowFlush,
                       rotateFaktoryPassword,
                       faktoryTls});
    parser.process(arguments);

    // A flag wins over the config file, which wins over the default.
    std::unique_ptr<QSettings> settings;
    if (parser.isSet(config)) {
        if (!QFile::exists(parser.value(config))) {
            QTextStream(stderr) << "qdeck: the config file " << parser.value(config)
                                << " does not exist\n";
            return 2;
        }
        settings = std::make_unique<QSettings>(parser.value(config), QSettings::IniFormat);
    }
    auto value = [&](const QCommandLineOption &option, const QString &fallback = {}) {
        if (parser.isSet(option))
            return parser.value(option);
        if (settings && settings->contains(option.names().first()))
            return settings->value(option.names().first()).toString();
        return fallback;
    };

    const QString format = value(logFormat, QStringLiteral("plain"));
    if (format != u"plain" && format != u"json") {
        QTextStream(stderr) << "qdeck: --log-format must be plain or json (got " << format << ")\n";
        return 2;
    }
    s_jsonLogs = format == u"json";
    qInstallMessageHandler(logMessage);
    if (!keepLargeBlocksOutOfTheHeap())
        qWarning("the C library refused to map blocks of 16 KiB apart; memory may grow with the "
                 "number of connections served");

    EngineOptions engineOptions;
    engineOptions.dataDirectory =
        value(dataDir, QStandardPaths::writableLocation(QStandardPaths::AppDataLocation));
    engineOptions.databasePath = value(database);
    if (StoreFactory::isPostgres(engineOptions.databasePath)) {
        if (parser.isSet(database) && (QUrl(parser.value(database)).password().size() > 0 ||
                                       parser.value(database).contains(u"password="))) {
            QTextStream(stderr) << "qdeck: --database carries a password, which every user of "
                                   "this machine can read in the process list; give it in "
                                   "PGPASSWORD, a PGPASSFILE, or the config file's "
                                   "database-password\n";
            return 2;
        }
        if (parser.isSet(restore)) {
            QTextStream(stderr) << "qdeck: --restore restores a SQLite backup; a PostgreSQL "
                                   "database is restored with the database's own tools "
                                   "(pg_restore)\n";
            return 2;
        }
        const QString extraPassword =
            settings ? settings->value(QStringLiteral("database-password")).toString() : QString();
        auto url = takePostgresPassword(engineOptions.databasePath, extraPassword);
        if (!url) {
            QTextStream(stderr) << "qdeck: " << url.error().message << '\n';
            return 2;
        }
        engineOptions.databasePath = *url;
        auto key = ClusterKey::load({qEnvironmentVariable(ClusterKey::EnvironmentVariable.data()),
                                     value(clusterKeyFile), engineOptions.dataDirectory});
        if (!key) {
            QTextStream(stderr) << "qdeck: " << key.error().message << '\n';
            return 2;
        }
        if (key->generated)
            QTextStream(stdout) << "A new cluster key was written to " << key->origin
                                << " (readable by this user only); give every other node of the "
                                   "cluster the same key.\n";
        engineOptions.clusterKey = key->key;
    }
    engineOptions.restoreFrom = parser.value(restore); // never from the config file
    const QString level = value(durability, QStringLiteral("normal"));
    if (level != u"normal" && level != u"full") {
        QTextStream(stderr) << "qdeck: --durability must be normal or full (got " << level << ")\n";
        return 2;
    }
    engineOptions.durability = level == u"full" ? Durability::Full : Durability::Normal;

    Api::ApiOptions apiOptions;
    const QString listenValue = value(listen, QStringLiteral("127.0.0.1:7070"));
    const qsizetype colon = listenValue.lastIndexOf(u':');
    bool portOk = false;
    const uint port = colon > 0 ? listenValue.mid(colon + 1).toUInt(&portOk) : 0;
    QString host = colon > 0 ? listenValue.left(colon) : QString();
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    apiOptions.address = QHostAddress(host);
    if (!portOk || port > 65535 || apiOptions.address.isNull()) {
        QTextStream(stderr)
            << "qdeck: --listen must be an address and port like 127.0.0.1:7070 or [::]:7070 (got "
            << listenValue << ")\n";
        return 2;
    }
    apiOptions.port = quint16(port);
    apiOptions.publicUrl = value(publicUrl);
    apiOptions.certificatePath = value(tlsCert);
    apiOptions.keyPath = value(tlsKey);
    if (apiOptions.certificatePath.isEmpty() != apiOptions.keyPath.isEmpty()) {
        QTextStream(stderr) << "qdeck: give --tls-cert and --tls-key together\n";
        return 2;
    }
    if (!apiOptions.publicUrl.isEmpty() && !QUrl(apiOptions.publicUrl).isValid()) {
        QTextStream(stderr) << "qdeck: --public-url is not a URL (got " << apiOptions.publicUrl
                            << ")\n";
        return 2;
    }

    const QString insecureValue = value(insecureHttp, QStringLiteral("false"));
    const bool plainBeyondLoopback =
        parser.isSet(insecureHttp) || insecureValue == u"true" || insecureValue == u"1";
    const bool wantsSelfSigned = parser.isSet(selfSigned);
    if (int(plainBeyondLoopback) + int(wantsSelfSigned) +
            int(!apiOptions.certificatePath.isEmpty()) >
        1) {
        QTextStream(stderr) << "qdeck: --insecure-http, --self-signed-tls and --tls-cert exclude "
                               "each other; give one of them\n";
        return 2;
    }
    // The Faktory listener serves TLS as the HTTP listener does: beyond loopback unless
    // --insecure-http, and on loopback with --faktory-tls; with the same certificate.
    const QString faktoryAddress = value(faktoryListen);
    bool faktoryWantsTls = false;
    QStringList hosts = Api::certificateHosts(apiOptions.publicUrl, apiOptions.address.toString());
    if (!faktoryAddress.isEmpty()) {
        auto parsed = faktoryListenAddress(faktoryAddress);
        if (!parsed) {
            QTextStream(stderr) << "qdeck: " << parsed.error().message << '\n';
            return 2;
        }
        const QString tlsValue = value(faktoryTls, QStringLiteral("false")).toLower();
        faktoryWantsTls = parser.isSet(faktoryTls) || tlsValue == u"true" || tlsValue == u"1" ||
                          (!parsed->first.isLoopback() && !plainBeyondLoopback);
        if (faktoryWantsTls) {
            for (const QString &host : Api::certificateHosts({}, parsed->first.toString())) {
                if (!hosts.contains(host))
                    hosts.append(host);
            }
        }
    }
    // Beyond loopback without a certificate: a self-signed one, pinned by its fingerprint.
    const bool httpSelfSigned =
        wantsSelfSigned || (!apiOptions.address.isLoopback() &&
                            apiOptions.certificatePath.isEmpty() && !plainBeyondLoopback);
    QString faktoryCertificate = apiOptions.certificatePath;
    QString faktoryKey = apiOptions.keyPath;
    if (httpSelfSigned || (faktoryWantsTls && apiOptions.certificatePath.isEmpty())) {
        auto certificate = Api::prepareServerCertificate(engineOptions.dataDirectory, hosts);
        if (!certificate) {
            QTextStream(stderr) << "qdeck: " << certificate.error().message << '\n';
            return 1;
        }
        if (httpSelfSigned) {
            apiOptions.certificatePath = certificate->certificatePath;
            apiOptions.keyPath = certificate->keyPath;
        }
        faktoryCertificate = certificate->certificatePath;
        faktoryKey = certificate->keyPath;
        if (certificate->made)
            QTextStream(stdout) << "A new self-signed TLS certificate was written to "
                                << certificate->certificatePath << ".\n";
    }

    if (!apiOptions.certificatePath.isEmpty() && QUrl(apiOptions.publicUrl).scheme() == u"http") {
        QTextStream(stderr) << "qdeck: the server serves HTTPS, but --public-url is "
                            << apiOptions.publicUrl
                            << "; give an https:// URL (or --insecure-http for plain HTTP)\n";
        return 2;
    }

    FaktoryListenerSettings faktorySettings;
    if (!faktoryAddress.isEmpty()) {
        auto flag = [&](const QCommandLineOption &option) {
            const QString text = value(option, QStringLiteral("false")).toLower();
            return parser.isSet(option) || text == u"true" || text == u"1" || text == u"yes";
        };
        faktorySettings.listen = faktoryAddress;
        faktorySettings.environment = value(faktoryEnvironment, QStringLiteral("default"));
        faktorySettings.dataDirectory = engineOptions.dataDirectory;
        faktorySettings.noPassword = flag(faktoryNoPassword);
        faktorySettings.allowFlush = flag(faktoryAllowFlush);
        faktorySettings.rotatePassword = parser.isSet(rotateFaktoryPassword);
        if (faktoryWantsTls) {
            faktorySettings.certificatePath = faktoryCertificate;
            faktorySettings.keyPath = faktoryKey;
        }
    }

    if (StoreFactory::isPostgres(engineOptions.databasePath)) {
        const QString advertised = value(advertiseUrl);
        if (!advertised.isEmpty() && !QUrl(advertised, QUrl::StrictMode).isValid()) {
            QTextStream(stderr) << "qdeck: --advertise-url is not a URL (got " << advertised
                                << ")\n";
            return 2;
        }
        Cli::ClusterServe cluster(engineOptions, apiOptions, advertised, parser.isSet(resetAdmin),
                                  faktorySettings);
        if (const QString error = cluster.start(); !error.isEmpty()) {
            QTextStream(stderr) << "qdeck: " << error << '\n';
            return 1;
        }
        // Until the first round with the database: leading (engine open, admin token written)
        // or following a known leader.
        QElapsedTimer waited;
        waited.start();
        while (!cluster.hasRole() && waited.elapsed() < 15000)
            app.processEvents(QEventLoop::WaitForMoreEvents, 100);
        if (!faktoryAddress.isEmpty())
            QTextStream(stdout)
                << "Faktory clients: port " << cluster.faktoryPort() << ", environment "
                << faktorySettings.environment << ", password "
                << (faktorySettings.noPassword
                        ? QStringLiteral("none")
                        : QStringLiteral("the cluster's, written to <data-dir>/faktory-password "
                                         "by each node that leads"))
                << (faktoryWantsTls ? QStringLiteral(", TLS (tcp+tls://)") : QString())
                << "; the other nodes pass connections to " << cluster.faktoryAddress()
                << " while this node leads\n";
        onShutdownSignal(&app, [&app] { app.quit(); });
        QTextStream(stdout) << "QueueDeck " << QUEUEDECK_VERSION << " serving on "
                            << cluster.address() << " (port " << cluster.port() << "), node "
                            << cluster.nodeId() << " of the cluster on "
                            << PostgresConnection::redacted(engineOptions.databasePath)
                            << ", data in " << QDir(engineOptions.dataDirectory).absolutePath()
                            << ". Admin token: "
                            << QDir(engineOptions.dataDirectory).filePath(u"admin-token"_s) << '\n';
        std::fflush(stdout);
        const int code = app.exec();
        cluster.stop();
        QTextStream(stdout) << "QueueDeck server stopped.\n";
        return code;
    }

    Engine engine(engineOptions);
    if (auto started = engine.start(); !started) {
        QTextStream(stderr) << "qdeck: " << started.error().message << '\n';
        return 1;
    }
    auto token = Api::prepareAdminToken(engine, engineOptions.dataDirectory,
                                        parser.isSet(resetAdmin) || parser.isSet(restore));
    if (!token) {
        QTextStream(stderr) << "qdeck: " << token.error().message << '\n';
        return 1;
    }
    if (!engineOptions.restoreFrom.isEmpty())
        QTextStream(stdout) << "Restored the database from " << engineOptions.restoreFrom
                            << "; the previous one, if any, is kept beside it as "
                               "*.before-restore-*.\n";
    if (token->written)
        QTextStream(stdout) << "A new admin token was written to " << token->path
                            << " (readable by this user only).\n";

    Api::ApiHost api(engine, apiOptions);
    if (const QString error = api.start(); !error.isEmpty()) {
        QTextStream(stderr) << "qdeck: " << error << '\n';
        return 1;
    }
    if (!apiOptions.address.isLoopback() && apiOptions.certificatePath.isEmpty())
        QTextStream(stderr) << "qdeck: warning: listening on " << listenValue
                            << " without TLS (--insecure-http): tokens cross the network in "
                               "clear text\n";
    if (!api.fingerprint().isEmpty())
        QTextStream(stdout) << "TLS certificate fingerprint: " << api.fingerprint()
                            << " (workers pin it with --server-fingerprint)\n";

    Cli::FaktoryListener faktory;
    if (!faktoryAddress.isEmpty()) {
        auto started = startFaktoryListener(engine, faktorySettings);
        if (!started) {
            QTextStream(stderr) << "qdeck: " << started.error().message << '\n';
            return 1;
        }
        faktory = std::move(*started);
        QTextStream(stdout) << "Faktory clients: port " << faktory.port << ", environment "
                            << faktorySettings.environment << ", password "
                            << (faktory.passwordPath.isEmpty() ? QStringLiteral("none")
                                                               : faktory.passwordPath)
                            << (faktoryWantsTls ? QStringLiteral(", TLS (tcp+tls://)") : QString())
                            << '\n';
        std::fflush(stdout);
    }

    // Before the line that tells a supervisor the server is up, so a stop right after it is clean.
    onShutdownSignal(&app, [&app] { app.quit(); });
    QTextStream(stdout) << "QueueDeck " << QUEUEDECK_VERSION << " serving on " << api.publicUrl()
                        << " (port " << api.port() << "), data in "
                        << QDir(engineOptions.dataDirectory).absolutePath() << ", durability "
                        << level << ". Admin token: " << token->path << '\n';
    std::fflush(stdout);

    const int code = app.exec();
    if (faktory.server)
        faktory.server->stop();
    api.stop();    // no new requests; parked ones end
    engine.stop(); // what was accepted is committed, then the store closes
    QTextStream(stdout) << "QueueDeck server stopped.\n";
    return code;
}

} // namespace QueueDeck::Cli
