// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "admincommands.h"

#include "backupcommand.h"
#include "httpclientconnection.h"
#include "protocol/codec.h"
#include "queuedeckclient.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSettings>
#include <QStandardPaths>
#include <QTextStream>

#include <cstdio>
#include <unistd.h>

namespace QueueDeck::Cli {

namespace {

using Client::QueueDeckClient;

constexpr int ExitFailed = 1;       // the server refused
constexpr int ExitUsage = 64;       // EX_USAGE
constexpr int ExitUnreachable = 69; // EX_UNAVAILABLE

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

struct UsageError
{
    QString message;
};

struct Failure
{
    Error error;
};

struct HelpPrinted
{};

// The value of a finished reply, or a Failure to report.
template <typename T> T must(QFuture<Result<T>> reply)
{
    Result<T> result = reply.result();
    if (!result)
        throw Failure{result.error()};
    if constexpr (!std::is_void_v<T>)
        return std::move(*result);
}

QString ago(qint64 ms)
{
    if (ms <= 0)
        return QStringLiteral("—");
    const qint64 s = (QDateTime::currentMSecsSinceEpoch() - ms) / 1000;
    if (s < 120)
        return QStringLiteral("%1 s ago").arg(qMax<qint64>(0, s));
    if (s < 7200)
        return QStringLiteral("%1 min ago").arg(s / 60);
    if (s < 172800)
        return QStringLiteral("%1 h ago").arg(s / 3600);
    return QStringLiteral("%1 d ago").arg(s / 86400);
}

QString time(qint64 ms)
{
    return ms > 0
               ? QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
               : QStringLiteral("—");
}

// A table with a header row, columns as wide as their widest cell.
class Table
{
public:
    explicit Table(QStringList header) : m_rows{std::move(header)} {}
    void add(QStringList row) { m_rows.append(std::move(row)); }
    void print() const
    {
        QList<qsizetype> widths;
        for (const QStringList &row : m_rows) {
            for (qsizetype i = 0; i < row.size(); ++i) {
                if (widths.size() <= i)
                    widths.append(0);
                widths[i] = qMax(widths[i], row[i].size());
            }
        }
        for (const QStringList &row : m_rows) {
            QString line;
            for (qsizetype i = 0; i < row.size(); ++i)
                line += i + 1 < row.size() ? row[i].leftJustified(widths[i] + 2) : row[i];
            out() << line << '\n';
        }
        if (m_rows.size() == 1)
            out() << "(none)\n";
    }

private:
    QList<QStringList> m_rows;
};

void printJson(const QJsonValue &value)
{
    const QJsonDocument document =
        value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    out() << document.toJson(QJsonDocument::Indented);
}

template <typename T> QJsonArray jsonArray(const QList<T> &items)
{
    QJsonArray array;
    for (const T &item : items)
        array.append(Codec::toJson(item));
    return array;
}

// Where the server is and which token to use: flags, then QUEUEDECK_SERVER / QUEUEDECK_TOKEN,
// then the config file, then the local server's admin token.
struct Connection
{
    QUrl server;
    QString token;
    QString serverFingerprint;
    QString caFile;
};

Connection connectionFrom(const QCommandLineParser &parser)
{
    const QString configPath =
        parser.isSet(QStringLiteral("config"))
            ? parser.value(QStringLiteral("config"))
            : QDir(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation))
                  .filePath(QStringLiteral("queuedeck/qdeck.conf"));
    QSettings config(configPath, QSettings::IniFormat);
    Connection c;
    QString server = parser.value(QStringLiteral("server"));
    if (server.isEmpty())
        server = qEnvironmentVariable("QUEUEDECK_SERVER");
    if (server.isEmpty())
        server = config.value(QStringLiteral("server")).toString();
    if (server.isEmpty())
        server = QStringLiteral("http://127.0.0.1:7070");
    c.server = QUrl(server);
    if (!c.server.isValid() || (c.server.scheme() != u"http" && c.server.scheme() != u"https"))
        throw UsageError{
            QStringLiteral("the server must be an http:// or https:// URL (got \"%1\")")
                .arg(server)};

    // Trust of an https server: flag, environment, config file (server-fingerprint=, ca-file=).
    const auto setting = [&](const char *name, const char *variable) {
        const QString option = QString::fromLatin1(name);
        if (parser.isSet(option))
            return parser.value(option);
        if (qEnvironmentVariableIsSet(variable))
            return qEnvironmentVariable(variable);
        return config.value(option).toString();
    };
    c.serverFingerprint = setting("server-fingerprint", "QUEUEDECK_SERVER_FINGERPRINT");
    c.caFile = setting("ca-file", "QUEUEDECK_CA_FILE");
    if (const QString problem = Client::checkTlsTrust(c.serverFingerprint, c.caFile);
        !problem.isEmpty())
        throw UsageError{problem};

    QString tokenFile = parser.value(QStringLiteral("token-file"));
    if (tokenFile.isEmpty())
        c.token = qEnvironmentVariable("QUEUEDECK_TOKEN");
    if (c.token.isEmpty() && tokenFile.isEmpty())
        c.token = config.value(QStringLiteral("token")).toString();
    if (c.token.isEmpty() && tokenFile.isEmpty())
        tokenFile = QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
                        .filePath(QStringLiteral("queuedeck/admin-token"));
    if (c.token.isEmpty()) {
        QFile file(tokenFile);
        if (file.open(QIODevice::ReadOnly))
            c.token = QString::fromUtf8(file.readAll()).trimmed();
        else if (parser.isSet(QStringLiteral("token-file")))
            throw UsageError{QStringLiteral("cannot read the token file %1: %2")
                                 .arg(tokenFile, file.errorString())};
    }
    if (c.token.isEmpty())
        throw UsageError{
            QStringLiteral("no token: set QUEUEDECK_TOKEN, pass --token-file, or put token= in %1")
                .arg(configPath)};
    return c;
}

// Options every command takes.
void addCommonOptions(QCommandLineParser &parser)
{
    parser.addHelpOption();
    parser.addOption({QStringLiteral("server"),
                      QStringLiteral("the QueueDeck server (default: QUEUEDECK_SERVER, the "
                                     "config file, http://127.0.0.1:7070)"),
                      QStringLiteral("url")});
    parser.addOption({QStringLiteral("token-file"),
                      QStringLiteral("read the token from this file (default: QUEUEDECK_TOKEN, "
                                     "the config file, the local server's admin token)"),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("server-fingerprint"),
                      QStringLiteral("trust exactly the https server certificate with this "
                                     "SHA-256 fingerprint (default: QUEUEDECK_SERVER_FINGERPRINT, "
                                     "the config file)"),
                      QStringLiteral("sha256:…")});
    parser.addOption({QStringLiteral("ca-file"),
                      QStringLiteral("trust the CA certificates in this PEM file (default: "
                                     "QUEUEDECK_CA_FILE, the config file)"),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("config"),
                      QStringLiteral("an INI file with server=, token= and optionally "
                                     "server-fingerprint= or ca-file= (default: "
                                     "~/.config/queuedeck/qdeck.conf)"),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("print JSON for scripts")});
}

QStringList parse(QCommandLineParser &parser, const QStringList &arguments, int positionals)
{
    if (!parser.parse(arguments))
        throw UsageError{parser.errorText()};
    if (parser.isSet(QStringLiteral("help"))) {
        out() << parser.helpText();
        throw HelpPrinted{};
    }
    const QStringList positional = parser.positionalArguments();
    if (positionals >= 0 && positional.size() < positionals)
        throw UsageError{QStringLiteral("missing arguments; see --help")};
    return positional;
}

std::unique_ptr<QueueDeckClient> clientFor(const QCommandLineParser &parser)
{
    const Connection c = connectionFrom(parser);
    Client::ClientOptions options{c.server, c.token};
    options.serverFingerprint = c.serverFingerprint;
    options.caFile = c.caFile;
    options.blocking = true; // one awaited call after another
    return std::make_unique<QueueDeckClient>(options);
}

int integerOption(const QCommandLineParser &parser, const QString &name, int fallback)
{
    if (!parser.isSet(name))
        return fallback;
    bool ok = false;
    const int value = parser.value(name).toInt(&ok);
    if (!ok)
        throw UsageError{QStringLiteral("--%1 must be a whole number (got \"%2\")")
                             .arg(name, parser.value(name))};
    return value;
}

bool confirm(const QString &question, const QCommandLineParser &parser)
{
    if (parser.isSet(QStringLiteral("yes")))
        return true;
    if (!::isatty(STDIN_FILENO))
        throw UsageError{question + QStringLiteral(" Pass --yes to do it without asking.")};
    err() << question << " [y/N] " << Qt::flush;
    QTextStream in(stdin);
    return in.readLine().trimmed().toLower().startsWith(u'y');
}

// --- queues -----------------------------------------------------------------------------------

QString workersText(const QueueInfo &q)
{
    return q.settings.maxWorkers > 0
               ? QStringLiteral("%1 / %2").arg(q.counts.workersOnline).arg(q.settings.maxWorkers)
               : QString::number(q.counts.workersOnline);
}

void printQueue(const QueueInfo &q, const QString &command)
{
    out() << q.name << " (" << q.id << ") in " << q.environment << " — "
          << queueStatusName(q.status) << '\n';
    if (!q.settings.description.isEmpty())
        out() << "  " << q.settings.description << '\n';
    out() << "  workers " << workersText(q) << ", queued " << q.counts.queued << ", scheduled "
          << q.counts.scheduled << ", running " << q.counts.running << ", succeeded "
          << q.counts.succeeded << ", dead " << q.counts.dead << '\n';
    out() << "  concurrency "
          << (q.settings.concurrency ? QString::number(q.settings.concurrency)
                                     : QStringLiteral("unlimited"))
          << ", priority " << q.settings.priority << ", task timeout " << q.settings.taskTimeoutS
          << " s, max attempts " << q.settings.retry.maxAttempts << '\n';
    if (!command.isEmpty())
        out() << "\nconnect a worker:\n  " << command << '\n';
}

int queueCommand(const QStringList &arguments)
{
    const QString verb = arguments.value(2);
    QCommandLineParser parser;
    addCommonOptions(parser);
    parser.addOption({QStringLiteral("environment"), QStringLiteral("the environment"),
                      QStringLiteral("name"), QStringLiteral("default")});
    parser.addOption({QStringLiteral("set"),
                      QStringLiteral("a setting of design §4, e.g. max_workers=5 (repeatable)"),
                      QStringLiteral("key=value")});
    parser.addOption({QStringLiteral("yes"), QStringLiteral("do not ask")});
    parser.addPositionalArgument(QStringLiteral("queue"), QStringLiteral("a verb, then the queue"));
    QStringList rest = arguments;
    rest.removeAt(1);
    const QStringList positional = parse(parser, rest, 1);
    const bool json = parser.isSet(QStringLiteral("json"));
    auto client = clientFor(parser);
    const QString target = positional.value(1);
    const auto needTarget = [&target](const char *what) {
        if (target.isEmpty())
            throw UsageError{QStringLiteral("give the %1").arg(QLatin1StringView(what))};
    };

    if (verb == u"list") {
        const QString environment = parser.isSet(QStringLiteral("environment"))
                                        ? parser.value(QStringLiteral("environment"))
                                        : QString();
        const QList<QueueInfo> queues = must(client->listQueues(environment));
        if (json)
            return printJson(jsonArray(queues)), 0;
        Table table({QStringLiteral("ID"), QStringLiteral("NAME"), QStringLiteral("ENV"),
                     QStringLiteral("STATUS"), QStringLiteral("WORKERS"), QStringLiteral("QUEUED"),
                     QStringLiteral("RUNNING"), QStringLiteral("DEAD")});
        for (const QueueInfo &q : queues)
            table.add({q.id, q.name, q.environment, queueStatusName(q.status), workersText(q),
                       QString::number(q.counts.queued), QString::number(q.counts.running),
                       QString::number(q.counts.dead)});
        table.print();
        return 0;
    }
    if (verb == u"create" || verb == u"update") {
        needTarget(verb == u"create" ? "queue's name" : "queue id");
        QJsonObject body;
        for (const QString &pair : parser.values(QStringLiteral("set"))) {
            const qsizetype equals = pair.indexOf(u'=');
            if (equals <= 0)
                throw UsageError{QStringLiteral("--set takes key=value (got \"%1\")").arg(pair)};
            const QString value = pair.mid(equals + 1);
            QJsonParseError error;
            const QJsonDocument parsed =
                QJsonDocument::fromJson(QByteArray('[' + value.toUtf8() + ']'), &error);
            body.insert(pair.left(equals), error.error == QJsonParseError::NoError
                                               ? parsed.array().first()
                                               : QJsonValue(value));
        }
        QJsonObject answer;
        if (verb == u"create") {
            body.insert(QStringLiteral("name"), target);
            answer = must(client->call("POST",
                                       QStringLiteral("/api/v1/environments/%1/worker-queues")
                                           .arg(QString::fromLatin1(QUrl::toPercentEncoding(
                                               parser.value(QStringLiteral("environment"))))),
                                       body));
        } else {
            if (body.isEmpty())
                throw UsageError{QStringLiteral("say what to change: --set key=value")};
            answer =
                must(client->call("PATCH",
                                  QStringLiteral("/api/v1/worker-queues/%1")
                                      .arg(QString::fromLatin1(QUrl::toPercentEncoding(target))),
                                  body));
        }
        if (json)
            return printJson(answer), 0;
        const QueueInfo queue = must(QtFuture::makeReadyFuture(Codec::queueFromJson(answer)));
        const QJsonObject command = must(client->workerCommand(queue.id));
        printQueue(queue, command.value(QStringLiteral("command")).toString());
        return 0;
    }
    if (verb == u"show") {
        needTarget("queue id");
        const QueueInfo queue = must(client->queue(target));
        const QJsonObject command = must(client->workerCommand(queue.id));
        if (json) {
            QJsonObject object = Codec::toJson(queue);
            object.insert(QStringLiteral("worker_command"),
                          command.value(QStringLiteral("command")));
            return printJson(object), 0;
        }
        printQueue(queue, command.value(QStringLiteral("command")).toString());
        return 0;
    }
    if (verb == u"pause" || verb == u"resume" || verb == u"rotate-token") {
        needTarget("queue id");
        const QueueInfo queue = verb == u"pause"    ? must(client->pauseQueue(target))
                                : verb == u"resume" ? must(client->resumeQueue(target))
                                                    : must(client->rotateJoinToken(target));
        if (json)
            return printJson(Codec::toJson(queue)), 0;
        if (verb == u"rotate-token") {
            const QJsonObject command = must(client->workerCommand(queue.id));
            out() << "new join token; workers already running keep working. New workers connect "
                     "with:\n  "
                  << command.value(QStringLiteral("command")).toString() << '\n';
        } else {
            out() << queue.name << " is " << queueStatusName(queue.status).toLower() << '\n';
        }
        return 0;
    }
    if (verb == u"purge") {
        needTarget("queue id");
        const QueueInfo queue = must(client->queue(target));
        if (!confirm(QStringLiteral("Delete the %1 waiting tasks of %2?")
                         .arg(queue.counts.queued + queue.counts.scheduled)
                         .arg(queue.name),
                     parser))
            return ExitFailed;
        const qint64 purged = must(client->purgeQueue(target));
        if (json)
            return printJson(QJsonObject{{QStringLiteral("purged"), purged}}), 0;
        out() << purged << " waiting tasks deleted\n";
        return 0;
    }
    throw UsageError{QStringLiteral("qdeck queue list|create|show|update|pause|resume|purge|"
                                    "rotate-token (got \"%1\")")
                         .arg(verb)};
}

// --- workers ----------------------------------------------------------------------------------

int workerCommand(const QStringList &arguments)
{
    const QString verb = arguments.value(2);
    QCommandLineParser parser;
    addCommonOptions(parser);
    parser.addOption({QStringLiteral("queue"), QStringLiteral("only the workers of this queue"),
                      QStringLiteral("id")});
    QStringList rest = arguments;
    rest.removeAt(1);
    const QStringList positional = parse(parser, rest, 1);
    const bool json = parser.isSet(QStringLiteral("json"));
    auto client = clientFor(parser);
    if (verb == u"list") {
        const QList<WorkerInfo> workers =
            must(client->listWorkers(parser.value(QStringLiteral("queue"))));
        if (json)
            return printJson(jsonArray(workers)), 0;
        Table table({QStringLiteral("ID"), QStringLiteral("HOST"), QStringLiteral("QUEUES"),
                     QStringLiteral("STATE"), QStringLiteral("HEARTBEAT"),
                     QStringLiteral("RUNNING"), QStringLiteral("DONE"), QStringLiteral("FAILED"),
                     QStringLiteral("LABELS")});
        for (const WorkerInfo &w : workers) {
            QStringList labels;
            for (auto it = w.labels.cbegin(); it != w.labels.cend(); ++it)
                labels.append(it.key() + u'=' + it.value());
            table.add({w.id, w.hostname, w.queueIds.join(u','), workerStateName(w.state),
                       ago(w.lastHeartbeatMs),
                       QStringLiteral("%1 / %2").arg(w.running).arg(w.concurrency),
                       QString::number(w.done), QString::number(w.failed), labels.join(u' ')});
        }
        table.print();
        return 0;
    }
    const QString id = positional.value(1);
    if (id.isEmpty())
        throw UsageError{QStringLiteral("give the worker id")};
    if (verb == u"drain") {
        const WorkerInfo worker = must(client->drainWorker(id));
        if (json)
            return printJson(Codec::toJson(worker)), 0;
        out() << id << " is draining: it finishes its " << worker.running
              << " running task(s) and takes nothing new\n";
        return 0;
    }
    if (verb == u"remove") {
        must(client->deregisterWorker(id));
        if (json)
            return printJson(QJsonObject{{QStringLiteral("deregistered"), true}}), 0;
        out() << id << " removed: its slot is free and its running tasks go back to the queue\n";
        return 0;
    }
    throw UsageError{QStringLiteral("qdeck worker start|list|drain|remove (got \"%1\")").arg(verb)};
}

// --- tasks and dead letters -------------------------------------------------------------------

void printTasks(const QList<TaskInfo> &tasks, const QString &nextCursor)
{
    Table table({QStringLiteral("ID"), QStringLiteral("STATE"), QStringLiteral("TYPE"),
                 QStringLiteral("ATTEMPTS"), QStringLiteral("ENQUEUED"), QStringLiteral("ERROR")});
    for (const TaskInfo &t : tasks)
        table.add({t.id, taskStateName(t.state), t.type,
                   QStringLiteral("%1 / %2").arg(t.attempts).arg(t.maxAttempts),
                   ago(t.enqueuedAtMs), t.lastError.left(60)});
    table.print();
    if (!nextCursor.isEmpty())
        out() << "(more: --cursor " << nextCursor << ")\n";
}

void printTask(const TaskInfo &t)
{
    out() << t.id << "  " << taskStateName(t.state) << "  " << t.type << "  queue " << t.queueId
          << '\n';
    out() << "  enqueued " << time(t.enqueuedAtMs) << ", attempts " << t.attempts << " / "
          << t.maxAttempts << ", priority " << t.priority << '\n';
    if (t.startedAtMs)
        out() << "  started " << time(*t.startedAtMs)
              << (t.leasedBy.isEmpty() ? QString() : QStringLiteral(" on ") + t.leasedBy) << '\n';
    if (t.finishedAtMs)
        out() << "  finished " << time(*t.finishedAtMs) << '\n';
    if (!t.lastError.isEmpty())
        out() << "  error: " << t.lastError << '\n';
    out() << "  payload: " << t.payload << '\n';
    if (!t.result.isEmpty())
        out() << "  result: " << t.result << '\n';
}

int taskCommand(const QStringList &arguments, bool dead)
{
    const QString verb = arguments.value(2);
    QCommandLineParser parser;
    addCommonOptions(parser);
    parser.addOption({QStringLiteral("queue"), QStringLiteral("the queue"), QStringLiteral("id")});
    parser.addOption({QStringLiteral("state"), QStringLiteral("only tasks in this state"),
                      QStringLiteral("state")});
    parser.addOption({QStringLiteral("type"), QStringLiteral("only tasks of this type"),
                      QStringLiteral("type")});
    parser.addOption({QStringLiteral("search"), QStringLiteral("text in the id or the payload"),
                      QStringLiteral("text")});
    parser.addOption({QStringLiteral("limit"), QStringLiteral("at most this many (1–1000)"),
                      QStringLiteral("n"), QStringLiteral("50")});
    parser.addOption(
        {QStringLiteral("cursor"), QStringLiteral("continue a listing"), QStringLiteral("cursor")});
    parser.addOption({QStringLiteral("all"), QStringLiteral("every dead task of the queue")});
    parser.addOption({QStringLiteral("follow"), QStringLiteral("keep printing new log lines")});
    parser.addOption({QStringLiteral("yes"), QStringLiteral("do not ask")});
    QStringList rest = arguments;
    rest.removeAt(1);
    const QStringList positional = parse(parser, rest, 1);
    const bool json = parser.isSet(QStringLiteral("json"));
    auto client = clientFor(parser);
    const QStringList ids = positional.mid(1);
    const QString queueId = parser.value(QStringLiteral("queue"));

    if (verb == u"list") {
        if (queueId.isEmpty())
            throw UsageError{QStringLiteral("--queue is required")};
        TaskFilter filter;
        if (dead) {
            filter.state = TaskState::Dead;
        } else if (parser.isSet(QStringLiteral("state"))) {
            filter.state = taskStateFromName(parser.value(QStringLiteral("state")));
            if (!filter.state)
                throw UsageError{QStringLiteral("--state must be scheduled, queued, running, "
                                                "succeeded, dead or cancelled")};
        }
        filter.type = parser.value(QStringLiteral("type"));
        filter.text = parser.value(QStringLiteral("search"));
        filter.limit = integerOption(parser, QStringLiteral("limit"), 50);
        filter.cursor = parser.value(QStringLiteral("cursor"));
        const TaskPage page = must(client->listTasks(queueId, filter));
        if (json)
            return printJson(QJsonObject{{QStringLiteral("items"), jsonArray(page.items)},
                                         {QStringLiteral("next_cursor"), page.nextCursor}}),
                   0;
        printTasks(page.items, page.nextCursor);
        return 0;
    }
    if (dead && (verb == u"retry" || verb == u"delete") && parser.isSet(QStringLiteral("all"))) {
        if (queueId.isEmpty())
            throw UsageError{QStringLiteral("--all needs --queue")};
        if (verb == u"delete" &&
            !confirm(QStringLiteral("Delete every dead task of %1?").arg(queueId), parser))
            return ExitFailed;
        BulkRequest request;
        request.action = verb == u"retry" ? BulkAction::Retry : BulkAction::Delete;
        request.filter.state = TaskState::Dead;
        const qint64 affected = must(client->bulkTasks(queueId, request));
        if (json)
            return printJson(QJsonObject{{QStringLiteral("affected"), affected}}), 0;
        out() << affected
              << (verb == u"retry" ? " dead tasks queued again\n" : " dead tasks deleted\n");
        return 0;
    }
    if (ids.isEmpty())
        throw UsageError{dead ? QStringLiteral("give task ids, or --all --queue ID")
                              : QStringLiteral("give a task id")};
    if (verb == u"show" && !dead) {
        const TaskInfo task = must(client->task(ids.first()));
        if (json)
            return printJson(Codec::toJson(task)), 0;
        printTask(task);
        return 0;
    }
    if (verb == u"logs" && !dead) {
        qint64 after = 0;
        Q_FOREVER
        {
            const QList<LogLine> lines = must(client->taskLogs(ids.first(), after, 1000));
            for (const LogLine &line : lines) {
                if (json)
                    out() << QJsonDocument(QJsonObject{{QStringLiteral("at"), time(line.atMs)},
                                                       {QStringLiteral("stream"), line.stream},
                                                       {QStringLiteral("line"), line.text}})
                                 .toJson(QJsonDocument::Compact)
                          << '\n';
                else
                    out() << (line.stream == u"stderr" ? "! " : "  ") << line.text << '\n';
                after = line.id;
            }
            out().flush();
            if (lines.size() == 1000)
                continue;
            if (!parser.isSet(QStringLiteral("follow")))
                return 0;
            const TaskInfo task = must(client->task(ids.first(), 1));
            if (task.state == TaskState::Succeeded || task.state == TaskState::Dead ||
                task.state == TaskState::Cancelled) {
                const QList<LogLine> last = must(client->taskLogs(ids.first(), after, 1000));
                for (const LogLine &line : last)
                    out() << (line.stream == u"stderr" ? "! " : "  ") << line.text << '\n';
                return 0;
            }
        }
    }
    if (verb == u"cancel" || verb == u"retry" || verb == u"delete") {
        if (verb == u"cancel" && dead)
            throw UsageError{QStringLiteral("qdeck dead list|retry|delete")};
        QJsonArray done;
        int failures = 0;
        for (const QString &id : ids) {
            try {
                if (verb == u"delete") {
                    must(client->deleteTask(id));
                    done.append(id);
                    if (!json)
                        out() << id << " deleted\n";
                } else {
                    const TaskInfo task = verb == u"cancel" ? must(client->cancelTask(id))
                                                            : must(client->retryTask(id));
                    done.append(Codec::toJson(task));
                    if (!json)
                        out() << id << ' ' << taskStateName(task.state) << '\n';
                }
            } catch (const Failure &failure) {
                ++failures;
                err() << id << ": " << failure.error.message << '\n';
            }
        }
        if (json)
            printJson(done);
        return failures ? ExitFailed : 0;
    }
    throw UsageError{
        dead ? QStringLiteral("qdeck dead list|retry|delete (got \"%1\")").arg(verb)
             : QStringLiteral("qdeck task show|list|logs|cancel|retry (got \"%1\")").arg(verb)};
}

// --- producer and viewer tokens ----------------------------------------------------------------

// qdeck token create|list|revoke --viewer: read-only tokens (qdv_), named, shown once.
int viewerTokenCommand(const QString &verb, const QString &name, bool json, QueueDeckClient &client)
{
    const QString base = QStringLiteral("/api/v1/viewer-tokens");
    if (verb == u"list") {
        const QJsonObject page = must(client.call("GET", base));
        const QJsonArray items = page.value(QStringLiteral("items")).toArray();
        if (json)
            return printJson(items), 0;
        Table table({QStringLiteral("NAME"), QStringLiteral("CREATED")});
        for (const QJsonValue &item : items)
            table.add({item[u"name"].toString(), item[u"created_at"].toString()});
        table.print();
        return 0;
    }
    if (name.isEmpty())
        throw UsageError{QStringLiteral("give the token's name")};
    if (verb == u"create") {
        const QJsonObject token =
            must(client.call("POST", base, QJsonObject{{QStringLiteral("name"), name}}));
        if (json)
            return printJson(token), 0;
        out() << token.value(QStringLiteral("token")).toString() << '\n';
        err() << "shown once: keep it now. It reads everything and changes nothing.\n";
        return 0;
    }
    if (verb == u"revoke") {
        must(client.call("DELETE", base + u'/' + QString::fromUtf8(QUrl::toPercentEncoding(name))));
        if (json)
            return printJson(QJsonObject{{QStringLiteral("revoked"), true}}), 0;
        out() << name << " revoked\n";
        return 0;
    }
    throw UsageError{
        QStringLiteral("qdeck token create|list|revoke --viewer (got \"%1\")").arg(verb)};
}

int tokenCommand(const QStringList &arguments)
{
    const QString verb = arguments.value(2);
    QCommandLineParser parser;
    addCommonOptions(parser);
    parser.addOption({QStringLiteral("queue"),
                      QStringLiteral("a queue the token may enqueue to (repeatable)"),
                      QStringLiteral("id")});
    parser.addOption(
        {QStringLiteral("viewer"),
         QStringLiteral("a read-only viewer token (qdv_) instead of a producer token")});
    QStringList rest = arguments;
    rest.removeAt(1);
    const QStringList positional = parse(parser, rest, 1);
    const bool json = parser.isSet(QStringLiteral("json"));
    auto client = clientFor(parser);
    if (parser.isSet(QStringLiteral("viewer")))
        return viewerTokenCommand(verb, positional.value(1), json, *client);
    if (verb == u"list") {
        const QList<ProducerToken> tokens = must(client->listProducerTokens());
        if (json)
            return printJson(jsonArray(tokens)), 0;
        Table table({QStringLiteral("NAME"), QStringLiteral("QUEUES"), QStringLiteral("CREATED")});
        for (const ProducerToken &t : tokens)
            table.add({t.name, t.queueIds.join(u','), time(t.createdAtMs)});
        table.print();
        return 0;
    }
    const QString name = positional.value(1);
    if (name.isEmpty())
        throw UsageError{QStringLiteral("give the token's name")};
    if (verb == u"create") {
        const QStringList queues = parser.values(QStringLiteral("queue"));
        if (queues.isEmpty())
            throw UsageError{QStringLiteral("name the queues it may use: --queue ID")};
        const ProducerToken token = must(client->createProducerToken(name, queues));
        if (json)
            return printJson(Codec::toJson(token)), 0;
        out() << token.token << '\n';
        err() << "shown once: keep it now. It enqueues to and reads " << queues.join(u", ")
              << " only.\n";
        return 0;
    }
    if (verb == u"revoke") {
        must(client->revokeProducerToken(name));
        if (json)
            return printJson(QJsonObject{{QStringLiteral("revoked"), true}}), 0;
        out() << name << " revoked\n";
        return 0;
    }
    throw UsageError{QStringLiteral("qdeck token create|list|revoke (got \"%1\")").arg(verb)};
}

// --- enqueue ----------------------------------------------------------------------------------

int enqueueCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    addCommonOptions(parser);
    parser.addOption({QStringLiteral("queue"), QStringLiteral("the queue"), QStringLiteral("id")});
    parser.addOption(
        {QStringLiteral("type"), QStringLiteral("the task type"), QStringLiteral("type")});
    parser.addOption(
        {QStringLiteral("payload"), QStringLiteral("the payload, JSON"), QStringLiteral("json")});
    parser.addOption({QStringLiteral("payload-file"),
                      QStringLiteral("read the payload from a file"), QStringLiteral("file")});
    parser.addOption({QStringLiteral("lines"),
                      QStringLiteral("one task per line of stdin (JSON, or text as a string)")});
    parser.addOption(
        {QStringLiteral("priority"), QStringLiteral("higher runs first"), QStringLiteral("n")});
    parser.addOption({QStringLiteral("delay"), QStringLiteral("run no sooner than in this many s"),
                      QStringLiteral("s")});
    parser.addOption({QStringLiteral("idempotency-key"),
                      QStringLiteral("the same key while unfinished: the same task"),
                      QStringLiteral("key")});
    parser.addOption({QStringLiteral("concurrency-key"),
                      QStringLiteral("tasks sharing it obey the queue's max_per_key"),
                      QStringLiteral("key")});
    parser.addOption({QStringLiteral("label"),
                      QStringLiteral("a worker label the task requires (repeatable)"),
                      QStringLiteral("key=value")});
    parser.addOption({QStringLiteral("wait"), QStringLiteral("wait for the result")});
    const QStringList rest = arguments.mid(0, 1) + arguments.mid(2);
    parse(parser, rest, 0);
    const bool json = parser.isSet(QStringLiteral("json"));
    const QString queueId = parser.value(QStringLiteral("queue"));
    const QString type = parser.value(QStringLiteral("type"));
    if (queueId.isEmpty() || type.isEmpty())
        throw UsageError{QStringLiteral("--queue and --type are required")};
    const int sources = int(parser.isSet(QStringLiteral("payload"))) +
                        int(parser.isSet(QStringLiteral("payload-file"))) +
                        int(parser.isSet(QStringLiteral("lines")));
    if (sources > 1)
        throw UsageError{QStringLiteral("give one of --payload, --payload-file and --lines")};

    EnqueueRequest base;
    base.type = type;
    base.priority = integerOption(parser, QStringLiteral("priority"), 0);
    if (parser.isSet(QStringLiteral("delay")))
        base.delayMs = qint64(integerOption(parser, QStringLiteral("delay"), 0)) * 1000;
    base.idempotencyKey = parser.value(QStringLiteral("idempotency-key"));
    base.concurrencyKey = parser.value(QStringLiteral("concurrency-key"));
    for (const QString &pair : parser.values(QStringLiteral("label"))) {
        const qsizetype equals = pair.indexOf(u'=');
        if (equals <= 0)
            throw UsageError{QStringLiteral("--label takes key=value (got \"%1\")").arg(pair)};
        base.requiredLabels.insert(pair.left(equals), pair.mid(equals + 1));
    }
    const auto payloadOf = [](const QByteArray &text, const QString &where) -> QByteArray {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson('[' + text + ']', &error);
        if (error.error != QJsonParseError::NoError || document.array().size() != 1)
            throw UsageError{QStringLiteral("%1 is not JSON: %2").arg(where, error.errorString())};
        const QByteArray wrapped = QJsonDocument(document.array()).toJson(QJsonDocument::Compact);
        return wrapped.mid(1, wrapped.size() - 2);
    };
    auto client = clientFor(parser);

    if (parser.isSet(QStringLiteral("lines"))) {
        if (parser.isSet(QStringLiteral("wait")) || !base.idempotencyKey.isEmpty())
            throw UsageError{QStringLiteral("--lines takes neither --wait nor --idempotency-key")};
        const bool progress = ::isatty(STDERR_FILENO) && !json;
        QFile input;
        input.open(stdin, QIODevice::ReadOnly);
        QList<EnqueueRequest> batch;
        qint64 sent = 0;
        QStringList ids;
        const auto flush = [&] {
            if (batch.isEmpty())
                return;
            const QStringList got = must(client->enqueueBatch(queueId, batch));
            sent += got.size();
            if (json)
                ids += got;
            batch.clear();
            if (progress)
                err() << "\renqueued " << sent << Qt::flush;
        };
        qint64 lineNumber = 0;
        while (!input.atEnd()) {
            const QByteArray line = input.readLine().trimmed();
            ++lineNumber;
            if (line.isEmpty())
                continue;
            EnqueueRequest request = base;
            QJsonParseError error;
            QJsonDocument::fromJson('[' + line + ']', &error);
            request.payload = error.error == QJsonParseError::NoError
                                  ? payloadOf(line, QStringLiteral("line %1").arg(lineNumber))
                                  : QJsonDocument(QJsonArray{QString::fromUtf8(line)})
                                        .toJson(QJsonDocument::Compact)
                                        .chopped(1)
                                        .mid(1);
            batch.append(request);
            if (batch.size() == 500)
                flush();
        }
        flush();
        if (progress)
            err() << '\n';
        if (json)
            printJson(QJsonObject{{QStringLiteral("ids"), QJsonArray::fromStringList(ids)}});
        else
            out() << sent << " tasks enqueued to " << queueId << '\n';
        return 0;
    }

    EnqueueRequest request = base;
    if (parser.isSet(QStringLiteral("payload"))) {
        request.payload = payloadOf(parser.value(QStringLiteral("payload")).toUtf8(),
                                    QStringLiteral("--payload"));
    } else if (parser.isSet(QStringLiteral("payload-file"))) {
        QFile file(parser.value(QStringLiteral("payload-file")));
        if (!file.open(QIODevice::ReadOnly))
            throw UsageError{
                QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString())};
        request.payload = payloadOf(file.readAll(), file.fileName());
    } else {
        request.payload = "{}";
    }
    TaskInfo task = must(client->enqueue(queueId, request));
    if (parser.isSet(QStringLiteral("wait"))) {
        while (task.state != TaskState::Succeeded && task.state != TaskState::Dead &&
               task.state != TaskState::Cancelled)
            task = must(client->task(task.id, 30));
    }
    if (json)
        return printJson(Codec::toJson(task)), 0;
    if (parser.isSet(QStringLiteral("wait"))) {
        printTask(task);
        return task.state == TaskState::Succeeded ? 0 : ExitFailed;
    }
    out() << task.id << (task.created ? "" : " (already there: same idempotency key)") << '\n';
    return 0;
}

// --- server administration --------------------------------------------------------------------

int serverAdminCommand(const QStringList &arguments)
{
    const QString verb = arguments.value(2);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("qdeck admin backup FILE: a consistent copy of the server's database, made "
                       "online by the server (into its data directory, then downloaded into FILE "
                       "and removed there). Start a server from it with qdeck serve --restore "
                       "FILE."));
    addCommonOptions(parser);
    parser.addOption({QStringLiteral("keep-on-server"),
                      QStringLiteral("leave the server's copy in <data-dir>/backups")});
    parser.addOption({QStringLiteral("force"), QStringLiteral("overwrite FILE if it exists")});
    QStringList rest = arguments;
    rest.removeAt(1);
    const QStringList positional = parse(parser, rest, 1);
    if (verb != u"backup")
        throw UsageError{QStringLiteral("qdeck admin backup FILE (got \"%1\")").arg(verb)};
    const QString file = positional.value(1);
    if (file.isEmpty())
        throw UsageError{QStringLiteral("give the file to write the backup into")};
    if (QFile::exists(file) && !parser.isSet(QStringLiteral("force")))
        throw UsageError{
            QStringLiteral("%1 exists; choose another file or pass --force").arg(file)};
    auto client = clientFor(parser);
    BackupCommand backup(*client, file, parser.isSet(QStringLiteral("keep-on-server")));
    const QString done = must(QtFuture::makeReadyFuture(backup.run()));
    out() << done << '\n';
    return 0;
}

} // namespace

bool isAdminCommand(const QStringList &arguments)
{
    static const QStringList commands{QStringLiteral("enqueue"), QStringLiteral("queue"),
                                      QStringLiteral("task"),    QStringLiteral("dead"),
                                      QStringLiteral("token"),   QStringLiteral("admin")};
    const QString command = arguments.value(1);
    if (command == u"worker")
        return arguments.value(2) == u"list" || arguments.value(2) == u"drain" ||
               arguments.value(2) == u"remove";
    return commands.contains(command);
}

int admin(const QStringList &arguments)
{
    const QString command = arguments.value(1);
    try {
        if (command == u"enqueue")
            return enqueueCommand(arguments);
        if (command == u"queue")
            return queueCommand(arguments);
        if (command == u"worker")
            return workerCommand(arguments);
        if (command == u"task")
            return taskCommand(arguments, false);
        if (command == u"dead")
            return taskCommand(arguments, true);
        if (command == u"token")
            return tokenCommand(arguments);
        if (command == u"admin")
            return serverAdminCommand(arguments);
        throw UsageError{QStringLiteral("unknown command \"%1\"").arg(command)};
    } catch (const UsageError &usage) {
        err() << "qdeck " << command << ": " << usage.message << '\n';
        return ExitUsage;
    } catch (const Failure &failure) {
        err() << "qdeck " << command << ": " << errorCodeName(failure.error.code) << ": "
              << failure.error.message << '\n';
        return failure.error.code == ErrorCode::Unavailable ? ExitUnreachable : ExitFailed;
    } catch (const HelpPrinted &) {
        return 0;
    }
}

} // namespace QueueDeck::Cli
