// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "schedulecommand.h"

#include "httpclientconnection.h"
#include "protocol/codec.h"
#include "protocol/schedulecodec.h"
#include "queuedeckclient.h"
#include "scheduleclient.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSettings>
#include <QStandardPaths>
#include <QTextStream>

namespace QueueDeck::Cli {

namespace {

constexpr int ExitFailed = 1;
constexpr int ExitUsage = 64;
constexpr int ExitUnreachable = 69;

struct Stop
{
    int code;
};

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

[[noreturn]] void usage(const QString &message)
{
    QTextStream(stderr) << "qdeck schedule: " << message << '\n';
    throw Stop{ExitUsage};
}

template <typename T> T must(QFuture<Result<T>> reply)
{
    Result<T> result = reply.result();
    if (!result) {
        QTextStream(stderr) << "qdeck schedule: " << errorCodeName(result.error().code) << ": "
                            << result.error().message << '\n';
        throw Stop{result.error().code == ErrorCode::Unavailable ? ExitUnreachable : ExitFailed};
    }
    if constexpr (!std::is_void_v<T>)
        return std::move(*result);
}

// Server and token as the other commands find them: flags, QUEUEDECK_SERVER / QUEUEDECK_TOKEN,
// the config file, then the local server's admin token.
std::unique_ptr<Client::QueueDeckClient> clientFor(const QCommandLineParser &parser)
{
    const QString configPath =
        parser.isSet(QStringLiteral("config"))
            ? parser.value(QStringLiteral("config"))
            : QDir(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation))
                  .filePath(QStringLiteral("queuedeck/qdeck.conf"));
    QSettings config(configPath, QSettings::IniFormat);
    const auto setting = [&](const char *option, const char *variable, const char *key) {
        const QString name = QString::fromLatin1(option);
        if (parser.isSet(name))
            return parser.value(name);
        if (qEnvironmentVariableIsSet(variable))
            return qEnvironmentVariable(variable);
        return config.value(QString::fromLatin1(key)).toString();
    };
    QString server = setting("server", "QUEUEDECK_SERVER", "server");
    if (server.isEmpty())
        server = QStringLiteral("http://127.0.0.1:7070");
    Client::ClientOptions options{QUrl(server), {}};
    if (!options.server.isValid() ||
        (options.server.scheme() != u"http" && options.server.scheme() != u"https"))
        usage(QStringLiteral("the server must be an http:// or https:// URL (got \"%1\")")
                  .arg(server));
    options.serverFingerprint =
        setting("server-fingerprint", "QUEUEDECK_SERVER_FINGERPRINT", "server-fingerprint");
    options.caFile = setting("ca-file", "QUEUEDECK_CA_FILE", "ca-file");
    if (const QString problem = Client::checkTlsTrust(options.serverFingerprint, options.caFile);
        !problem.isEmpty())
        usage(problem);
    QString tokenFile = parser.value(QStringLiteral("token-file"));
    if (tokenFile.isEmpty())
        options.token = qEnvironmentVariable("QUEUEDECK_TOKEN");
    if (options.token.isEmpty() && tokenFile.isEmpty())
        options.token = config.value(QStringLiteral("token")).toString();
    if (options.token.isEmpty() && tokenFile.isEmpty())
        tokenFile = QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
                        .filePath(QStringLiteral("queuedeck/admin-token"));
    if (options.token.isEmpty()) {
        QFile file(tokenFile);
        if (file.open(QIODevice::ReadOnly))
            options.token = QString::fromUtf8(file.readAll()).trimmed();
    }
    if (options.token.isEmpty())
        usage(QStringLiteral("no token: set QUEUEDECK_TOKEN, pass --token-file, or put token= "
                             "in %1")
                  .arg(configPath));
    options.blocking = true;
    return std::make_unique<Client::QueueDeckClient>(options);
}

QString timeText(const std::optional<qint64> &ms)
{
    if (!ms)
        return QStringLiteral("-");
    return QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC).toString(Qt::ISODate);
}

void printJson(const QJsonObject &object)
{
    out() << QJsonDocument(object).toJson(QJsonDocument::Indented);
}

void printSchedule(const ScheduleInfo &s)
{
    out() << s.id << "  " << s.definition.name << (s.definition.paused ? "  (paused)" : "")
          << "\n  " << s.description << "  [" << s.definition.spec << "]\n"
          << "  queue " << s.definition.queueId << ", task " << s.definition.task.type
          << ", overlap " << overlapPolicyName(s.definition.overlap) << ", catch-up "
          << s.definition.catchupWindowS << " s, jitter " << s.definition.jitterS << " s\n"
          << "  next fire " << timeText(s.nextFireMs) << ", last "
          << (s.lastFire ? timeText(s.lastFire->fireTimeMs) + u' ' + s.lastFire->outcome
                         : QStringLiteral("-"))
          << '\n';
}

void printFire(const ScheduleFire &f)
{
    out() << timeText(f.fireTimeMs) << "  " << f.kind.leftJustified(9) << ' '
          << f.outcome.leftJustified(17) << ' '
          << (f.taskId.isEmpty() ? QStringLiteral("-") : f.taskId)
          << (f.reason.isEmpty() ? QString() : QStringLiteral("  ") + f.reason) << '\n';
}

std::optional<qint64> timeOption(const QCommandLineParser &parser, const char *name)
{
    const QString option = QString::fromLatin1(name);
    if (!parser.isSet(option))
        return std::nullopt;
    const QDateTime time = QDateTime::fromString(parser.value(option), Qt::ISODateWithMs);
    if (!time.isValid() || time.timeSpec() == Qt::LocalTime)
        usage(QStringLiteral("--%1 must be an RFC 3339 time with a zone, like "
                             "2026-11-22T02:00:00Z (got \"%2\")")
                  .arg(option, parser.value(option)));
    return time.toMSecsSinceEpoch();
}

qint64 integerOption(const QCommandLineParser &parser, const char *name, qint64 fallback)
{
    const QString option = QString::fromLatin1(name);
    if (!parser.isSet(option))
        return fallback;
    bool ok = false;
    const qint64 value = parser.value(option).toLongLong(&ok);
    if (!ok || value < 0)
        usage(QStringLiteral("--%1 must be a whole number of 0 or more").arg(option));
    return value;
}

// The definition options of create (all of them) and update (those given).
void addDefinitionOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {QStringLiteral("name"), QStringLiteral("the schedule's name (unique)"),
         QStringLiteral("name")},
        {QStringLiteral("spec"),
         QStringLiteral("cron (5 or 6 fields), @daily … or \"every 15m [phase 5m]\""),
         QStringLiteral("spec")},
        {QStringLiteral("time-zone"), QStringLiteral("IANA time zone (default UTC)"),
         QStringLiteral("zone")},
        {QStringLiteral("queue-id"), QStringLiteral("the queue fires enqueue into"),
         QStringLiteral("id")},
        {QStringLiteral("type"), QStringLiteral("the task type"), QStringLiteral("type")},
        {QStringLiteral("payload"), QStringLiteral("the task payload (JSON; default {})"),
         QStringLiteral("json")},
        {QStringLiteral("task"),
         QStringLiteral("the whole task template as JSON (type, payload, priority, and the "
                        "enqueue options)"),
         QStringLiteral("json")},
        {QStringLiteral("overlap"), QStringLiteral("skip (default), buffer_one or allow_all"),
         QStringLiteral("policy")},
        {QStringLiteral("catchup-window"),
         QStringLiteral("seconds: fires missed while down, at most this old, still run "
                        "(default 300)"),
         QStringLiteral("s")},
        {QStringLiteral("jitter"), QStringLiteral("seconds of random delay per fire (default 0)"),
         QStringLiteral("s")},
        {QStringLiteral("start"), QStringLiteral("no fire before this time (RFC 3339)"),
         QStringLiteral("time")},
        {QStringLiteral("end"), QStringLiteral("no fire after this time (RFC 3339)"),
         QStringLiteral("time")},
        {QStringLiteral("paused"), QStringLiteral("create it paused")},
    });
}

// The task template from --task, or from --type and --payload.
std::optional<EnqueueRequest> templateFrom(const QCommandLineParser &parser)
{
    QJsonObject object;
    if (parser.isSet(QStringLiteral("task"))) {
        QJsonParseError error;
        const QJsonDocument document =
            QJsonDocument::fromJson(parser.value(QStringLiteral("task")).toUtf8(), &error);
        if (!document.isObject())
            usage(QStringLiteral("--task must be a JSON object: %1").arg(error.errorString()));
        object = document.object();
    }
    if (parser.isSet(QStringLiteral("type")))
        object.insert(QStringLiteral("type"), parser.value(QStringLiteral("type")));
    if (parser.isSet(QStringLiteral("payload"))) {
        QJsonParseError error;
        const QJsonDocument payload =
            QJsonDocument::fromJson(parser.value(QStringLiteral("payload")).toUtf8(), &error);
        if (payload.isNull())
            usage(QStringLiteral("--payload is not JSON: %1").arg(error.errorString()));
        object.insert(QStringLiteral("payload"), payload.isObject() ? QJsonValue(payload.object())
                                                                    : QJsonValue(payload.array()));
    }
    if (object.isEmpty())
        return std::nullopt;
    auto request = Codec::enqueueFromJson(object);
    if (!request)
        usage(QStringLiteral("the task: ") + request.error().message);
    return *request;
}

std::optional<OverlapPolicy> overlapFrom(const QCommandLineParser &parser)
{
    if (!parser.isSet(QStringLiteral("overlap")))
        return std::nullopt;
    const auto policy = overlapPolicyFromName(parser.value(QStringLiteral("overlap")));
    if (!policy)
        usage(QStringLiteral("--overlap must be skip, buffer_one or allow_all"));
    return policy;
}

int dispatch(const QStringList &arguments)
{
    const QString verb = arguments.value(2);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("qdeck schedule create|list|show|pause|resume|trigger|backfill|fires|"
                       "preview|delete: cron and interval rules that enqueue a task into a "
                       "queue (docs/schedules.md). ID is a schedule id (s_…) or name."));
    parser.addHelpOption();
    parser.addOption(
        {QStringLiteral("server"), QStringLiteral("the QueueDeck server"), QStringLiteral("url")});
    parser.addOption({QStringLiteral("token-file"), QStringLiteral("read the token from this file"),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("server-fingerprint"),
                      QStringLiteral("trust the https certificate with this SHA-256 fingerprint"),
                      QStringLiteral("sha256:…")});
    parser.addOption({QStringLiteral("ca-file"), QStringLiteral("trust this PEM CA file"),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("config"), QStringLiteral("an INI file with server=, token="),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("print JSON for scripts")});
    parser.addOption({QStringLiteral("from"), QStringLiteral("backfill: the range's start"),
                      QStringLiteral("time")});
    parser.addOption({QStringLiteral("to"), QStringLiteral("backfill: the range's end"),
                      QStringLiteral("time")});
    parser.addOption(
        {QStringLiteral("limit"), QStringLiteral("fires: at most this many"), QStringLiteral("n")});
    addDefinitionOptions(parser);
    QStringList rest = arguments;
    rest.removeAt(1); // "schedule"
    if (!parser.parse(rest))
        usage(parser.errorText());
    if (parser.isSet(QStringLiteral("help")) || verb.isEmpty() || verb == u"--help") {
        out() << parser.helpText();
        return 0;
    }
    const QStringList positional = parser.positionalArguments();
    const bool json = parser.isSet(QStringLiteral("json"));

    if (verb == u"preview") {
        SchedulePreviewRequest request;
        request.spec = parser.value(QStringLiteral("spec"));
        if (request.spec.isEmpty())
            request.spec = positional.value(1);
        if (request.spec.isEmpty())
            usage(QStringLiteral("give the spec: qdeck schedule preview --spec \"0 2 * * *\""));
        if (parser.isSet(QStringLiteral("time-zone")))
            request.timeZone = parser.value(QStringLiteral("time-zone"));
        request.startAtMs = timeOption(parser, "start");
        request.endAtMs = timeOption(parser, "end");
        request.count = int(integerOption(parser, "limit", 5));
        auto client = clientFor(parser);
        const SchedulePreview preview = must(Client::ScheduleClient(*client).preview(request));
        if (json) {
            printJson(ScheduleCodec::toJson(preview));
            return 0;
        }
        out() << preview.description << '\n';
        for (qint64 ms : preview.nextFiresMs)
            out() << "  " << timeText(ms) << '\n';
        return 0;
    }

    auto client = clientFor(parser);
    Client::ScheduleClient schedules(*client);
    if (verb == u"list") {
        const auto list = must(schedules.list());
        if (json) {
            QJsonArray items;
            for (const ScheduleInfo &s : list)
                items.append(ScheduleCodec::toJson(s));
            out() << QJsonDocument(items).toJson(QJsonDocument::Indented);
            return 0;
        }
        for (const ScheduleInfo &s : list)
            printSchedule(s);
        if (list.isEmpty())
            out() << "(none)\n";
        return 0;
    }
    if (verb == u"create") {
        ScheduleDefinition d;
        d.name = parser.value(QStringLiteral("name"));
        if (d.name.isEmpty())
            d.name = positional.value(1);
        d.spec = parser.value(QStringLiteral("spec"));
        d.queueId = parser.value(QStringLiteral("queue-id"));
        if (d.name.isEmpty() || d.spec.isEmpty() || d.queueId.isEmpty())
            usage(QStringLiteral("create needs --name, --spec, --queue-id and --type (or --task)"));
        if (parser.isSet(QStringLiteral("time-zone")))
            d.timeZone = parser.value(QStringLiteral("time-zone"));
        const auto task = templateFrom(parser);
        if (!task)
            usage(QStringLiteral("create needs --type (or --task)"));
        d.task = *task;
        d.overlap = overlapFrom(parser).value_or(OverlapPolicy::Skip);
        d.catchupWindowS = integerOption(parser, "catchup-window", d.catchupWindowS);
        d.jitterS = integerOption(parser, "jitter", 0);
        d.startAtMs = timeOption(parser, "start");
        d.endAtMs = timeOption(parser, "end");
        d.paused = parser.isSet(QStringLiteral("paused"));
        const ScheduleInfo made = must(schedules.create(d));
        if (json)
            printJson(ScheduleCodec::toJson(made));
        else
            printSchedule(made);
        return 0;
    }

    // The rest name one schedule, by id or by name.
    QString id = positional.value(1);
    if (id.isEmpty())
        usage(QStringLiteral("give the schedule: qdeck schedule %1 ID").arg(verb));
    if (!id.startsWith(u"s_")) {
        const auto list = must(schedules.list());
        const auto named = std::find_if(list.cbegin(), list.cend(), [&](const ScheduleInfo &s) {
            return s.definition.name == id;
        });
        if (named == list.cend())
            usage(QStringLiteral("no schedule is named \"%1\"; see qdeck schedule list").arg(id));
        id = named->id;
    }
    if (verb == u"show" || verb == u"pause" || verb == u"resume" || verb == u"update") {
        ScheduleInfo info;
        if (verb == u"show") {
            info = must(schedules.get(id));
        } else if (verb == u"pause") {
            info = must(schedules.pause(id));
        } else if (verb == u"resume") {
            info = must(schedules.resume(id));
        } else {
            SchedulePatch patch;
            if (parser.isSet(QStringLiteral("name")))
                patch.name = parser.value(QStringLiteral("name"));
            if (parser.isSet(QStringLiteral("spec")))
                patch.spec = parser.value(QStringLiteral("spec"));
            if (parser.isSet(QStringLiteral("time-zone")))
                patch.timeZone = parser.value(QStringLiteral("time-zone"));
            if (parser.isSet(QStringLiteral("queue-id")))
                patch.queueId = parser.value(QStringLiteral("queue-id"));
            patch.task = templateFrom(parser);
            patch.overlap = overlapFrom(parser);
            if (parser.isSet(QStringLiteral("catchup-window")))
                patch.catchupWindowS = integerOption(parser, "catchup-window", 0);
            if (parser.isSet(QStringLiteral("jitter")))
                patch.jitterS = integerOption(parser, "jitter", 0);
            if (parser.isSet(QStringLiteral("start")))
                patch.startAtMs = timeOption(parser, "start");
            if (parser.isSet(QStringLiteral("end")))
                patch.endAtMs = timeOption(parser, "end");
            info = must(schedules.update(id, patch));
        }
        if (json)
            printJson(ScheduleCodec::toJson(info));
        else
            printSchedule(info);
        return 0;
    }
    if (verb == u"trigger") {
        const ScheduleFire fire = must(schedules.trigger(id));
        if (json)
            printJson(ScheduleCodec::toJson(fire));
        else
            printFire(fire);
        return 0;
    }
    if (verb == u"backfill") {
        const auto from = timeOption(parser, "from");
        const auto to = timeOption(parser, "to");
        if (!from || !to)
            usage(QStringLiteral("backfill needs --from and --to (RFC 3339 times)"));
        const BackfillResult result = must(schedules.backfill(id, BackfillRequest{*from, *to}));
        if (json)
            printJson(ScheduleCodec::toJson(result));
        else
            out() << result.started << " fires started, " << result.alreadyRecorded
                  << " already recorded, " << result.failed << " failed to enqueue\n";
        return 0;
    }
    if (verb == u"fires") {
        const auto fires = must(schedules.fires(id, int(integerOption(parser, "limit", 20))));
        if (json) {
            QJsonArray items;
            for (const ScheduleFire &f : fires)
                items.append(ScheduleCodec::toJson(f));
            out() << QJsonDocument(items).toJson(QJsonDocument::Indented);
            return 0;
        }
        for (const ScheduleFire &f : fires)
            printFire(f);
        if (fires.isEmpty())
            out() << "(no fires yet)\n";
        return 0;
    }
    if (verb == u"delete") {
        must(schedules.remove(id));
        out() << "deleted " << id << '\n';
        return 0;
    }
    usage(QStringLiteral("unknown verb \"%1\"; use create, list, show, update, pause, resume, "
                         "trigger, backfill, fires, preview or delete")
              .arg(verb));
}

} // namespace

int ScheduleCommand::run(const QStringList &arguments)
{
    try {
        const int code = dispatch(arguments);
        out().flush();
        return code;
    } catch (const Stop &stop) {
        out().flush();
        return stop.code;
    }
}

} // namespace QueueDeck::Cli
