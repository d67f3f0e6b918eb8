// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// `qdeck schedule create|list|show|update|pause|resume|trigger|backfill|fires|preview|delete`:
// schedules (docs/schedules.md) through /api/v1/schedules. Readable text by default, JSON with
// --json.

#include "commandsupport.h"
#include "protocol/schedulecodec.h"
#include "resourcecommands.h"
#include "scheduleclient.h"

#include <QDateTime>
#include <QJsonDocument>

namespace QueueDeck::Cli {

namespace {

QString timeText(const std::optional<qint64> &ms)
{
    if (!ms)
        return QStringLiteral("-");
    return QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC).toString(Qt::ISODate);
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

// Prints one value as JSON or as text.
template <typename T, typename Text> int print(const T &value, bool json, Text text)
{
    if (json)
        printJson(ScheduleCodec::toJson(value));
    else
        text(value);
    return 0;
}

template <typename T, typename Text>
int printList(const QList<T> &items, bool json, Text text, const char *none)
{
    if (json) {
        QJsonArray array;
        for (const T &item : items)
            array.append(ScheduleCodec::toJson(item));
        printJson(array);
        return 0;
    }
    for (const T &item : items)
        text(item);
    if (items.isEmpty())
        out() << none << '\n';
    return 0;
}

// An RFC 3339 time with a zone, if the option is given.
CommandResult<std::optional<qint64>> timeOption(const QCommandLineParser &parser, const char *name)
{
    const QString option = QString::fromLatin1(name);
    if (!parser.isSet(option))
        return std::nullopt;
    const QDateTime time = QDateTime::fromString(parser.value(option), Qt::ISODateWithMs);
    if (!time.isValid() || time.timeSpec() == Qt::LocalTime)
        return usageError(QStringLiteral("--%1 must be an RFC 3339 time with a zone, like "
                                         "2026-11-22T02:00:00Z (got \"%2\")")
                              .arg(option, parser.value(option)));
    return time.toMSecsSinceEpoch();
}

CommandResult<std::optional<qint64>> secondsOption(const QCommandLineParser &parser,
                                                   const char *name)
{
    const QString option = QString::fromLatin1(name);
    if (!parser.isSet(option))
        return std::nullopt;
    bool ok = false;
    const qint64 value = parser.value(option).toLongLong(&ok);
    if (!ok || value < 0)
        return usageError(QStringLiteral("--%1 must be a whole number of seconds, 0 or more "
                                         "(got \"%2\")")
                              .arg(option, parser.value(option)));
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

// The task template from --task, or from --type and --payload; nullopt when none is given.
CommandResult<std::optional<EnqueueRequest>> templateFrom(const QCommandLineParser &parser)
{
    QJsonObject object;
    if (parser.isSet(QStringLiteral("task"))) {
        QJsonParseError error;
        const QJsonDocument document =
            QJsonDocument::fromJson(parser.value(QStringLiteral("task")).toUtf8(), &error);
        if (!document.isObject())
            return usageError(
                QStringLiteral("--task must be a JSON object: %1").arg(error.errorString()));
        object = document.object();
    }
    if (parser.isSet(QStringLiteral("type")))
        object.insert(QStringLiteral("type"), parser.value(QStringLiteral("type")));
    if (parser.isSet(QStringLiteral("payload"))) {
        QJsonParseError error;
        const QJsonDocument payload =
            QJsonDocument::fromJson(parser.value(QStringLiteral("payload")).toUtf8(), &error);
        if (payload.isNull())
            return usageError(QStringLiteral("--payload is not JSON: %1").arg(error.errorString()));
        object.insert(QStringLiteral("payload"), payload.isObject() ? QJsonValue(payload.object())
                                                                    : QJsonValue(payload.array()));
    }
    if (object.isEmpty())
        return std::nullopt;
    auto request = Codec::enqueueFromJson(object);
    if (!request)
        return usageError(QStringLiteral("the task: ") + request.error().message);
    return std::optional<EnqueueRequest>(std::move(*request));
}

CommandResult<std::optional<OverlapPolicy>> overlapFrom(const QCommandLineParser &parser)
{
    if (!parser.isSet(QStringLiteral("overlap")))
        return std::nullopt;
    const auto policy = overlapPolicyFromName(parser.value(QStringLiteral("overlap")));
    if (!policy)
        return usageError(QStringLiteral("--overlap must be skip, buffer_one or allow_all (got "
                                         "\"%1\")")
                              .arg(parser.value(QStringLiteral("overlap"))));
    return policy;
}

// The options create and update share, read into a patch: only what is given is set.
CommandResult<SchedulePatch> patchFrom(const QCommandLineParser &parser)
{
    SchedulePatch patch;
    const auto text = [&parser](const char *name) -> std::optional<QString> {
        const QString option = QString::fromLatin1(name);
        return parser.isSet(option) ? std::optional(parser.value(option)) : std::nullopt;
    };
    patch.name = text("name");
    patch.spec = text("spec");
    patch.timeZone = text("time-zone");
    patch.queueId = text("queue-id");
    auto task = templateFrom(parser);
    auto overlap = overlapFrom(parser);
    auto catchup = secondsOption(parser, "catchup-window");
    auto jitter = secondsOption(parser, "jitter");
    auto start = timeOption(parser, "start");
    auto end = timeOption(parser, "end");
    for (const CommandError *error :
         {task ? nullptr : &task.error(), overlap ? nullptr : &overlap.error(),
          catchup ? nullptr : &catchup.error(), jitter ? nullptr : &jitter.error(),
          start ? nullptr : &start.error(), end ? nullptr : &end.error()}) {
        if (error)
            return std::unexpected(*error);
    }
    patch.task = *task;
    patch.overlap = *overlap;
    patch.catchupWindowS = *catchup;
    patch.jitterS = *jitter;
    if (parser.isSet(QStringLiteral("start")))
        patch.startAtMs = *start;
    if (parser.isSet(QStringLiteral("end")))
        patch.endAtMs = *end;
    if (parser.isSet(QStringLiteral("paused")))
        patch.paused = true;
    return patch;
}

CommandResult<int> create(const QCommandLineParser &parser, const QString &positionalName,
                          Client::ScheduleClient &schedules, bool json)
{
    const auto patch = patchFrom(parser);
    if (!patch)
        return std::unexpected(patch.error());
    ScheduleDefinition d;
    d.name = patch->name.value_or(positionalName);
    if (d.name.isEmpty() || !patch->spec || !patch->queueId || !patch->task)
        return usageError(
            QStringLiteral("create needs --name, --spec, --queue-id and --type (or --task)"));
    const auto made = answer(schedules.create(applyPatch(std::move(d), *patch)));
    if (!made)
        return std::unexpected(made.error());
    return print(*made, json, printSchedule);
}

CommandResult<int> preview(const QCommandLineParser &parser, const QString &positionalSpec,
                           Client::QueueDeckClient &client, bool json)
{
    SchedulePreviewRequest request;
    request.spec = parser.value(QStringLiteral("spec"));
    if (request.spec.isEmpty())
        request.spec = positionalSpec;
    if (request.spec.isEmpty())
        return usageError(
            QStringLiteral("give the spec: qdeck schedule preview --spec \"0 2 * * *\""));
    if (parser.isSet(QStringLiteral("time-zone")))
        request.timeZone = parser.value(QStringLiteral("time-zone"));
    const auto start = timeOption(parser, "start");
    const auto end = timeOption(parser, "end");
    const auto count = integerOption(parser, QStringLiteral("limit"), 5);
    if (!start || !end || !count)
        return std::unexpected(!start ? start.error() : !end ? end.error() : count.error());
    request.startAtMs = *start;
    request.endAtMs = *end;
    request.count = *count;
    const auto shown = answer(Client::ScheduleClient(client).preview(request));
    if (!shown)
        return std::unexpected(shown.error());
    return print(*shown, json, [](const SchedulePreview &p) {
        out() << p.description << '\n';
        for (qint64 ms : p.nextFiresMs)
            out() << "  " << timeText(ms) << '\n';
    });
}

// A schedule named by id (s_…) or by name.
CommandResult<QString> scheduleId(const QString &given, Client::ScheduleClient &schedules)
{
    if (given.startsWith(u"s_"))
        return given;
    const auto list = answer(schedules.list());
    if (!list)
        return std::unexpected(list.error());
    for (const ScheduleInfo &s : *list)
        if (s.definition.name == given)
            return s.id;
    return usageError(
        QStringLiteral("no schedule is named \"%1\"; see qdeck schedule list").arg(given));
}

// The verbs that name one schedule.
CommandResult<int> onOne(const QString &verb, const QString &id, const QCommandLineParser &parser,
                         Client::ScheduleClient &schedules, bool json)
{
    if (verb == u"show" || verb == u"pause" || verb == u"resume" || verb == u"update") {
        CommandResult<ScheduleInfo> info;
        if (verb == u"show") {
            info = answer(schedules.get(id));
        } else if (verb == u"pause") {
            info = answer(schedules.pause(id));
        } else if (verb == u"resume") {
            info = answer(schedules.resume(id));
        } else {
            auto patch = patchFrom(parser);
            if (!patch)
                return std::unexpected(patch.error());
            patch->paused.reset(); // update changes the rule; pause and resume are verbs
            info = answer(schedules.update(id, *patch));
        }
        if (!info)
            return std::unexpected(info.error());
        return print(*info, json, printSchedule);
    }
    if (verb == u"trigger") {
        const auto fire = answer(schedules.trigger(id));
        if (!fire)
            return std::unexpected(fire.error());
        return print(*fire, json, printFire);
    }
    if (verb == u"backfill") {
        const auto from = timeOption(parser, "from");
        const auto to = timeOption(parser, "to");
        if (!from || !to)
            return std::unexpected(!from ? from.error() : to.error());
        if (!*from || !*to)
            return usageError(QStringLiteral("backfill needs --from and --to (RFC 3339 times)"));
        const auto result = answer(schedules.backfill(id, BackfillRequest{**from, **to}));
        if (!result)
            return std::unexpected(result.error());
        return print(*result, json, [](const BackfillResult &r) {
            out() << r.started << " fires started, " << r.alreadyRecorded << " already recorded, "
                  << r.failed << " failed to enqueue\n";
        });
    }
    if (verb == u"fires") {
        const auto limit = integerOption(parser, QStringLiteral("limit"), 20);
        if (!limit)
            return std::unexpected(limit.error());
        const auto fires = answer(schedules.fires(id, *limit));
        if (!fires)
            return std::unexpected(fires.error());
        return printList(*fires, json, printFire, "(no fires yet)");
    }
    if (verb == u"delete") {
        if (const auto removed = answer(schedules.remove(id)); !removed)
            return std::unexpected(removed.error());
        out() << "deleted " << id << '\n';
        return 0;
    }
    return usageError(QStringLiteral("unknown verb \"%1\"; use create, list, show, update, pause, "
                                     "resume, trigger, backfill, fires, preview or delete")
                          .arg(verb));
}

} // namespace

CommandResult<int> scheduleCommand(const QStringList &arguments)
{
    const QString verb = arguments.value(2);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("qdeck schedule create|list|show|update|pause|resume|trigger|backfill|"
                       "fires|preview|delete: cron and interval rules that enqueue a task into a "
                       "queue (docs/schedules.md). ID is a schedule id (s_…) or name."));
    addCommonOptions(parser);
    parser.addOption({QStringLiteral("from"), QStringLiteral("backfill: the range's start"),
                      QStringLiteral("time")});
    parser.addOption({QStringLiteral("to"), QStringLiteral("backfill: the range's end"),
                      QStringLiteral("time")});
    parser.addOption(
        {QStringLiteral("limit"), QStringLiteral("fires: at most this many"), QStringLiteral("n")});
    addDefinitionOptions(parser);
    parser.addPositionalArgument(QStringLiteral("verb"),
                                 QStringLiteral("a verb, then the schedule (ID or name)"));
    QStringList rest = arguments;
    rest.removeAt(1); // "schedule"
    const auto positional = parse(parser, rest, 0);
    if (!positional)
        return std::unexpected(positional.error());
    if (verb.isEmpty()) {
        out() << parser.helpText();
        return 0;
    }
    const bool json = parser.isSet(QStringLiteral("json"));
    const auto client = clientFor(parser);
    if (!client)
        return std::unexpected(client.error());
    if (verb == u"preview")
        return preview(parser, positional->value(1), **client, json);
    Client::ScheduleClient schedules(**client);
    if (verb == u"list") {
        const auto list = answer(schedules.list());
        if (!list)
            return std::unexpected(list.error());
        return printList(*list, json, printSchedule, "(none)");
    }
    if (verb == u"create")
        return create(parser, positional->value(1), schedules, json);
    const QString given = positional->value(1);
    if (given.isEmpty())
        return usageError(QStringLiteral("give the schedule: qdeck schedule %1 ID").arg(verb));
    const auto id = scheduleId(given, schedules);
    if (!id)
        return std::unexpected(id.error());
    return onOne(verb, *id, parser, schedules, json);
}

} // namespace QueueDeck::Cli
