// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "faktoryservice.h"

#include "faktoryconnection.h"
#include "faktoryjob.h"
#include "faktoryreply.h"
#include "protocol/secrets.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace QueueDeck::Faktory {

Q_LOGGING_CATEGORY(lcFaktory, "queuedeck.faktory", QtInfoMsg) // debug: on request

namespace {

QJsonObject parseHash(const QByteArray &argument, bool *ok)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(argument, &error);
    *ok = error.error == QJsonParseError::NoError && document.isObject();
    return document.object();
}

// The listener's certificate chain and key (PEM; the key RSA or EC), as the HTTP listener reads
// them.
Result<QSslConfiguration> tlsConfiguration(const QString &certificatePath, const QString &keyPath)
{
    QFile certificateFile(certificatePath);
    QFile keyFile(keyPath);
    if (!certificateFile.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("cannot read the TLS certificate %1: %2")
                             .arg(certificatePath, certificateFile.errorString()));
    if (!keyFile.open(QIODevice::ReadOnly))
        return makeError(
            ErrorCode::InvalidArgument,
            QStringLiteral("cannot read the TLS key %1: %2").arg(keyPath, keyFile.errorString()));
    const auto certificates = QSslCertificate::fromData(certificateFile.readAll(), QSsl::Pem);
    const QByteArray pem = keyFile.readAll();
    QSslKey key(pem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(pem, QSsl::Ec, QSsl::Pem);
    if (certificates.isEmpty())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("%1 holds no PEM certificate").arg(certificatePath));
    if (key.isNull())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("%1 holds no PEM private key (RSA or EC)").arg(keyPath));
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(certificates);
    configuration.setPrivateKey(key);
    return configuration;
}

bool validWid(const QString &wid)
{
    if (wid.isEmpty() || wid.size() > 100)
        return false;
    for (QChar c : wid) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != u'-' && c != u'_' && c != u'.')
            return false;
    }
    return true;
}

} // namespace

FaktoryService::FaktoryService(Engine &engine, FaktoryOptions options, QObject *parent)
    : QObject(parent), m_engine(engine), m_options(std::move(options))
{
    m_uptime.start();
}

FaktoryService::~FaktoryService()
{
    for (FaktoryConnection *connection : std::as_const(m_connections))
        connection->withdrawn->store(true);
}

QByteArray FaktoryService::passwordHash(const QString &password, const QString &salt,
                                        int iterations)
{
    QByteArray hash =
        QCryptographicHash::hash((password + salt).toUtf8(), QCryptographicHash::Sha256);
    for (int i = 1; i < iterations; ++i)
        hash = QCryptographicHash::hash(hash, QCryptographicHash::Sha256);
    return hash.toHex();
}

QString FaktoryService::listen()
{
    if (!m_options.requirePassword && !m_options.address.isLoopback())
        return QStringLiteral("the Faktory listener on %1 needs a password beyond loopback")
            .arg(m_options.address.toString());
    if (m_options.certificatePath.isEmpty() != m_options.keyPath.isEmpty())
        return QStringLiteral("the Faktory listener's TLS needs both a certificate and its key");
    if (!m_options.certificatePath.isEmpty()) {
        auto configuration = tlsConfiguration(m_options.certificatePath, m_options.keyPath);
        if (!configuration)
            return configuration.error().message;
        auto *server = new QSslServer(this);
        server->setSslConfiguration(*configuration);
        m_server = server;
    } else {
        m_server = new QTcpServer(this);
    }
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this,
            &FaktoryService::handleNewConnections);
    if (!m_server->listen(m_options.address, m_options.port))
        return QStringLiteral("cannot listen for Faktory clients on %1:%2: %3")
            .arg(m_options.address.toString())
            .arg(m_options.port)
            .arg(m_server->errorString());
    return {};
}

quint16 FaktoryService::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

void FaktoryService::shutdown()
{
    if (m_server)
        m_server->close();
    for (FaktoryConnection *connection : std::as_const(m_connections))
        connection->close();
}

qint64 FaktoryService::bytesToWrite() const
{
    qint64 total = 0;
    for (const FaktoryConnection *connection : std::as_const(m_connections))
        total += connection->bytesToWrite();
    return total;
}

void FaktoryService::handleNewConnections()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        auto *connection = new FaktoryConnection(
            socket, m_options.maxLineBytes,
            [this](FaktoryConnection *c, const FaktoryLine &line) { dispatch(c, line); }, this);
        m_connections.insert(connection);
        connect(connection, &FaktoryConnection::closed, this, [this](FaktoryConnection *c) {
            m_connections.remove(c);
            c->deleteLater(); // closing a connection releases nothing: jobs belong to the wid
        });
        QByteArray greeting = QByteArrayLiteral("+HI {\"v\":2");
        if (m_options.requirePassword) {
            connection->iterations = 4000 + int(QRandomGenerator::system()->bounded(4096));
            connection->salt = QString::number(QRandomGenerator::system()->generate64() >> 1, 16);
            greeting += ",\"i\":" + QByteArray::number(connection->iterations) + ",\"s\":\"" +
                        connection->salt.toLatin1() + '"';
        }
        greeting += "}\r\n";
        connection->greet(greeting, m_options.handshakeTimeoutMs);
    }
}

void FaktoryService::dispatch(FaktoryConnection *connection, const FaktoryLine &line)
{
    ++m_commands;
    if (line.kind == FaktoryLine::Kind::TooLong) {
        connection->answer(FaktoryReply::error(
            QStringLiteral("command of %1 bytes refused: the limit is %2 bytes; send smaller jobs "
                           "(a job's payload may be at most %3 bytes)")
                .arg(line.length)
                .arg(m_options.maxLineBytes)
                .arg(m_engine.options().maxPayloadBytes)));
        return;
    }
    const QByteArray &verb = line.verb;
    if (!connection->identified) {
        if (verb == "HELLO")
            hello(connection, line.argument);
        else
            connection->answer(
                FaktoryReply::error(QStringLiteral("say HELLO {\"v\":2,…} first (got %1)")
                                        .arg(QString::fromUtf8(verb.left(32)))));
        return;
    }
    if (verb == "END") {
        connection->close();
    } else if (verb == "PUSH") {
        push(connection, line.argument);
    } else if (verb == "PUSHB") {
        pushBulk(connection, line.argument);
    } else if (verb == "FETCH") {
        fetch(connection, line.argument);
    } else if (verb == "ACK") {
        ack(connection, line.argument);
    } else if (verb == "FAIL") {
        fail(connection, line.argument);
    } else if (verb == "BEAT") {
        beat(connection, line.argument);
    } else if (verb == "INFO") {
        info(connection);
    } else if (verb == "FLUSH") {
        flush(connection);
    } else if (verb == "QUEUE") {
        queueCommand(connection, line.argument);
    } else if (verb == "BATCH" || verb == "TRACK") {
        connection->answer(FaktoryReply::error(
            QStringLiteral("%1 is a Faktory Enterprise feature that QueueDeck does not offer")
                .arg(QString::fromLatin1(verb))));
    } else if (verb == "MUTATE") {
        mutate(connection, line.argument);
    } else if (verb == "HELLO") {
        connection->answer(FaktoryReply::error(QStringLiteral("HELLO was already accepted")));
    } else {
        connection->answer(FaktoryReply::error(
            QStringLiteral("unknown command %1").arg(QString::fromUtf8(verb.left(32)))));
    }
}

void FaktoryService::hello(FaktoryConnection *connection, const QByteArray &argument)
{
    bool ok = false;
    const QJsonObject hello = parseHash(argument, &ok);
    if (!ok) {
        connection->answer(FaktoryReply::error(QStringLiteral("HELLO needs a JSON hash")));
        return;
    }
    const int version = hello.value(u"v").toInt(0);
    if (version != 1 && version != 2) {
        connection->answer(FaktoryReply::error(
            QStringLiteral("protocol version %1 is not supported: this server speaks FWP v2")
                .arg(hello.value(u"v").toVariant().toString())));
        return;
    }
    if (!m_options.requirePassword) {
        identify(connection, hello);
        return;
    }
    QPointer<FaktoryConnection> guard(connection);
    m_engine.faktoryPassword(false).then(
        this, [this, guard, hello, version](const Result<QString> &password) {
            if (!guard)
                return;
            if (!password) {
                answerError(guard, password.error());
                return;
            }
            const int iterations = version < 2 ? 1 : guard->iterations;
            const QByteArray expected = passwordHash(*password, guard->salt, iterations);
            const QByteArray given = hello.value(u"pwdhash").toString().toLatin1();
            if (!sameSecret(given, expected)) {
                qCInfo(lcFaktory) << "a Faktory client gave a wrong password";
                guard->answerAndClose(FaktoryReply::error(QStringLiteral("Invalid password")));
                return;
            }
            identify(guard, hello);
        });
}

void FaktoryService::identify(FaktoryConnection *connection, const QJsonObject &hello)
{
    const QString wid = hello.value(u"wid").toString();
    if (!wid.isEmpty()) {
        if (!validWid(wid)) {
            connection->answer(FaktoryReply::error(
                QStringLiteral("wid may have only letters, digits, '-', '_' and '.', at most "
                               "100 (got \"%1\")")
                    .arg(wid.left(120))));
            return;
        }
        Worker &worker = m_workers[wid];
        if (worker.workerId.isEmpty())
            worker.workerId = QStringLiteral("faktory:") + wid;
        worker.hostname = hello.value(u"hostname").toString();
        worker.pid = hello.value(u"pid").toInteger(0);
        worker.labels.clear();
        const QJsonArray labels = hello.value(u"labels").toArray();
        for (const QJsonValue &label : labels) {
            if (label.isString() && !label.toString().isEmpty())
                worker.labels.insert(label.toString(), QStringLiteral("true"));
        }
        connection->wid = wid;
    }
    connection->identified = true;
    connection->answer(FaktoryReply::ok());
}

} // namespace QueueDeck::Faktory
