// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "schedulespec.h"

#include <QDate>
#include <QDateTime>
#include <QJsonObject>
#include <QRegularExpression>

#include <limits>

namespace QueueDeck {

namespace {

constexpr qint64 SecondMs = 1000;
constexpr qint64 DayMs = 86'400'000;
constexpr qint64 HorizonMs = 10 * 366 * DayMs;
constexpr qint64 UnixEpochJulianDay = 2'440'588;

struct FieldKind
{
    const char *name;
    int low;
    int high;
    const char *const *names; // index 0 = value `low`, or nullptr
    const char *hint;
};

const char *const s_monthNames[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                    "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
const char *const s_dayNames[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

const FieldKind s_second{"second", 0, 59, nullptr, nullptr};
const FieldKind s_minute{"minute", 0, 59, nullptr, nullptr};
const FieldKind s_hour{"hour", 0, 23, nullptr, nullptr};
const FieldKind s_dayOfMonth{"day-of-month", 1, 31, nullptr, nullptr};
const FieldKind s_month{"month", 1, 12, s_monthNames, "1-12 or JAN-DEC"};
const FieldKind s_dayOfWeek{"day-of-week", 0, 7, s_dayNames, "0-7 or SUN-SAT"};

qint64 floorDiv(qint64 a, qint64 b)
{
    const qint64 q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

std::unexpected<Error> fieldError(int position, const FieldKind &kind, const QString &part,
                                  const QString &what)
{
    return makeError(
        ErrorCode::InvalidArgument,
        QStringLiteral("field %1 (%2): %3").arg(position).arg(QLatin1String(kind.name), what),
        QJsonObject{{QStringLiteral("field"), position},
                    {QStringLiteral("field_name"), QLatin1String(kind.name)},
                    {QStringLiteral("part"), part}});
}

// One field into bits (index = value); star: the field starts with * or is ?.
struct ParsedField
{
    std::vector<bool> bits;
    bool star = false;
};

Result<ParsedField> parseField(const QString &text, int position, const FieldKind &kind,
                               bool questionAllowed)
{
    ParsedField field;
    field.bits.assign(kind.high + 1, false);
    field.star = text.startsWith(u'*') || (questionAllowed && text == u"?");
    const auto value = [&](const QString &token) -> Result<int> {
        bool ok = false;
        const int number = token.toInt(&ok);
        if (ok) {
            if (number < kind.low || number > kind.high)
                return fieldError(position, kind, token,
                                  QStringLiteral("%1 is out of range %2-%3")
                                      .arg(number)
                                      .arg(kind.low)
                                      .arg(kind.high));
            return number;
        }
        if (kind.names) {
            const int count = kind.names == s_monthNames ? 12 : 7;
            for (int i = 0; i < count; ++i) {
                if (token.compare(QLatin1String(kind.names[i]), Qt::CaseInsensitive) == 0)
                    return kind.names == s_monthNames ? i + 1 : i;
            }
            return fieldError(position, kind, token,
                              QStringLiteral("\"%1\" is not a %2; use %3")
                                  .arg(token, QLatin1String(kind.name), QLatin1String(kind.hint)));
        }
        return fieldError(position, kind, token,
                          QStringLiteral("\"%1\" is not a number from %2 to %3")
                              .arg(token)
                              .arg(kind.low)
                              .arg(kind.high));
    };
    if (text.isEmpty())
        return fieldError(position, kind, text, QStringLiteral("the field is empty"));
    for (const QString &part : text.split(u',')) {
        if (part.isEmpty())
            return fieldError(
                position, kind, text,
                QStringLiteral("an empty entry in \"%1\"; remove the extra comma").arg(text));
        QString range = part;
        int step = 1;
        if (const qsizetype slash = part.indexOf(u'/'); slash >= 0) {
            range = part.left(slash);
            bool ok = false;
            const QString stepText = part.mid(slash + 1);
            step = stepText.toInt(&ok);
            if (!ok || step < 1)
                return fieldError(position, kind, part,
                                  QStringLiteral("step \"%1\" in \"%2\" must be a whole number of "
                                                 "1 or more")
                                      .arg(stepText, part));
            if (step > kind.high)
                return fieldError(position, kind, part,
                                  QStringLiteral("step %1 in \"%2\" is larger than the field's "
                                                 "range %3-%4")
                                      .arg(step)
                                      .arg(part)
                                      .arg(kind.low)
                                      .arg(kind.high));
        }
        int first = kind.low;
        int last = kind.high;
        if (range == u"*" || (questionAllowed && range == u"?")) {
            // the whole range
        } else if (const qsizetype dash = range.indexOf(u'-'); dash > 0) {
            auto from = value(range.left(dash));
            if (!from)
                return std::unexpected(from.error());
            auto to = value(range.mid(dash + 1));
            if (!to)
                return std::unexpected(to.error());
            if (*to < *from)
                return fieldError(position, kind, part,
                                  QStringLiteral("range \"%1\" goes backwards; write %2-%3")
                                      .arg(range)
                                      .arg(*to)
                                      .arg(*from));
            first = *from;
            last = *to;
        } else {
            auto single = value(range);
            if (!single)
                return std::unexpected(single.error());
            first = *single;
            // "a/n" runs from a to the end of the range; "a" alone is one value.
            last = part.contains(u'/') ? kind.high : *single;
        }
        for (int v = first; v <= last; v += step)
            field.bits[v] = true;
    }
    return field;
}

Result<qint64> parseDuration(const QString &text, const char *what)
{
    static const QRegularExpression unit(QStringLiteral("^(\\d+)(ms|s|m|h|d)"));
    qint64 total = 0;
    QStringView rest(text);
    if (rest.isEmpty())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("every: %1 is missing; write e.g. 15m, 1h30m or 90s")
                             .arg(QLatin1String(what)));
    while (!rest.isEmpty()) {
        const auto match = unit.match(rest.toString());
        if (!match.hasMatch())
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("every: \"%1\" is not a duration; write e.g. 15m, "
                                            "1h30m or 90s (units d, h, m, s, ms)")
                                 .arg(text),
                             QJsonObject{{QStringLiteral("part"), text}});
        const qint64 amount = match.captured(1).toLongLong();
        const QString name = match.captured(2);
        const qint64 factor = name == u"ms"  ? 1
                              : name == u"s" ? SecondMs
                              : name == u"m" ? 60 * SecondMs
                              : name == u"h" ? 3600 * SecondMs
                                             : DayMs;
        if (amount > HorizonMs / factor)
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("every: \"%1\" is longer than ten years").arg(text));
        total += amount * factor;
        rest = rest.mid(match.capturedLength(0));
    }
    return total;
}

QString durationText(qint64 ms)
{
    QStringList parts;
    const std::pair<qint64, const char *> units[] = {
        {DayMs, "d"}, {3600 * SecondMs, "h"}, {60 * SecondMs, "min"}, {SecondMs, "s"}, {1, "ms"}};
    for (const auto &[size, name] : units) {
        if (ms >= size) {
            parts.append(QStringLiteral("%1 %2").arg(ms / size).arg(QLatin1String(name)));
            ms %= size;
        }
    }
    return parts.join(u' ');
}

int offsetMsAt(const QTimeZone &zone, qint64 ms)
{
    return zone.offsetFromUtc(QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc())) * 1000;
}

QString listOf(const std::vector<int> &values, int width = 1)
{
    QStringList out;
    for (int v : values)
        out.append(QStringLiteral("%1").arg(v, width, 10, QLatin1Char('0')));
    return out.join(QStringLiteral(", "));
}

} // namespace

Result<ScheduleSpec> ScheduleSpec::parse(const QString &input)
{
    const QString text = input.simplified();
    if (text.isEmpty())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("the spec is empty; write a cron expression such as "
                                        "\"0 2 * * *\", a macro such as @daily, or an interval "
                                        "such as \"every 15m\""));
    if (text.startsWith(u"every ", Qt::CaseInsensitive) ||
        text.compare(u"every", Qt::CaseInsensitive) == 0)
        return parseInterval(text, text.mid(5).trimmed());
    if (text.startsWith(u'@')) {
        static const QHash<QString, QString> macros{
            {QStringLiteral("@yearly"), QStringLiteral("0 0 1 1 *")},
            {QStringLiteral("@annually"), QStringLiteral("0 0 1 1 *")},
            {QStringLiteral("@monthly"), QStringLiteral("0 0 1 * *")},
            {QStringLiteral("@weekly"), QStringLiteral("0 0 * * 0")},
            {QStringLiteral("@daily"), QStringLiteral("0 0 * * *")},
            {QStringLiteral("@midnight"), QStringLiteral("0 0 * * *")},
            {QStringLiteral("@hourly"), QStringLiteral("0 * * * *")},
        };
        const auto macro = macros.constFind(text.toLower());
        if (macro == macros.cend())
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("unknown macro \"%1\"; use @yearly, @annually, "
                                            "@monthly, @weekly, @daily, @midnight or @hourly")
                                 .arg(text),
                             QJsonObject{{QStringLiteral("part"), text}});
        return parseCron(text, *macro);
    }
    return parseCron(text, text);
}

Result<ScheduleSpec> ScheduleSpec::parseInterval(const QString &text, const QString &rest)
{
    const QStringList words = rest.split(u' ', Qt::SkipEmptyParts);
    if (words.size() > 1 && !(words.size() == 3 && words[1].compare(u"phase") == 0))
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("write an interval as \"every DURATION\" or \"every "
                                        "DURATION phase DURATION\", e.g. \"every 1h phase 15m\""));
    auto interval = parseDuration(words.value(0), "the interval");
    if (!interval)
        return std::unexpected(interval.error());
    if (*interval < SecondMs)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("every: the interval must be at least 1s"));
    ScheduleSpec spec;
    spec.m_text = text;
    spec.m_intervalMs = *interval;
    if (words.size() == 3) {
        auto phase = parseDuration(words[2], "the phase");
        if (!phase)
            return std::unexpected(phase.error());
        if (*phase >= *interval)
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("every: the phase %1 must be shorter than the "
                                            "interval %2")
                                 .arg(words[2], words[0]));
        spec.m_phaseMs = *phase;
    }
    return spec;
}

Result<ScheduleSpec> ScheduleSpec::parseCron(const QString &text, const QString &expression)
{
    QStringList fields = expression.split(u' ', Qt::SkipEmptyParts);
    if (fields.size() != 5 && fields.size() != 6)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("a cron spec has 5 fields (minute hour day-of-month month "
                                        "day-of-week) or 6 with seconds first; \"%1\" has %2")
                             .arg(text)
                             .arg(fields.size()));
    const bool withSeconds = fields.size() == 6;
    if (!withSeconds)
        fields.prepend(QStringLiteral("0"));
    const int shift = withSeconds ? 1 : 0; // field numbers as the user wrote them
    const FieldKind *kinds[] = {&s_second,     &s_minute, &s_hour,
                                &s_dayOfMonth, &s_month,  &s_dayOfWeek};
    std::vector<ParsedField> parsed;
    for (int i = 0; i < 6; ++i) {
        const bool days = i == 3 || i == 5;
        auto field = parseField(fields[i], i + shift, *kinds[i], days);
        if (!field)
            return std::unexpected(field.error());
        parsed.push_back(std::move(*field));
    }
    ScheduleSpec spec;
    spec.m_text = text;
    spec.m_fieldTexts = fields;
    for (int v = 0; v < 60; ++v) {
        spec.m_seconds[v] = parsed[0].bits[v];
        spec.m_minutes[v] = parsed[1].bits[v];
        if (spec.m_seconds[v])
            spec.m_secondList.push_back(v);
        if (spec.m_minutes[v])
            spec.m_minuteList.push_back(v);
    }
    for (int v = 0; v < 24; ++v) {
        spec.m_hours[v] = parsed[2].bits[v];
        if (spec.m_hours[v])
            spec.m_hourList.push_back(v);
    }
    for (int v = 1; v <= 31; ++v)
        spec.m_daysOfMonth[v] = parsed[3].bits[v];
    for (int v = 1; v <= 12; ++v)
        spec.m_months[v] = parsed[4].bits[v];
    for (int v = 0; v <= 7; ++v) {
        if (parsed[5].bits[v])
            spec.m_daysOfWeek[v % 7] = true;
    }
    spec.m_dayOfMonthStar = parsed[3].star;
    spec.m_dayOfWeekStar = parsed[5].star;
    spec.m_fixedTime = !parsed[0].star && !parsed[1].star && !parsed[2].star;
    // A day of the month no chosen month has ("30 2": February 30th) never comes.
    if (spec.m_dayOfWeekStar || spec.m_dayOfMonthStar) {
        static const int longest[] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        bool possible = false;
        for (int month = 1; month <= 12 && !possible; ++month) {
            for (int day = 1; day <= longest[month] && !possible; ++day)
                possible = spec.m_months[month] && spec.m_daysOfMonth[day];
        }
        if (!possible)
            return fieldError(3 + shift, s_dayOfMonth, fields[3],
                              QStringLiteral("no month chosen in field %1 has day %2; the "
                                             "schedule would never fire")
                                  .arg(4 + shift)
                                  .arg(fields[3]));
    }
    return spec;
}

bool ScheduleSpec::dayMatches(int dayOfMonth, int dayOfWeek) const
{
    if (m_dayOfMonthStar || m_dayOfWeekStar)
        return m_daysOfMonth[dayOfMonth] && m_daysOfWeek[dayOfWeek];
    return m_daysOfMonth[dayOfMonth] || m_daysOfWeek[dayOfWeek];
}

std::optional<qint64> ScheduleSpec::nextLocalMatch(qint64 fromLocalMs, qint64 limitLocalMs) const
{
    const qint64 firstSecond = floorDiv(fromLocalMs, SecondMs) + 1;
    qint64 day = floorDiv(firstSecond, 86'400);
    int secondOfDay = int(firstSecond - day * 86'400);
    const qint64 lastDay = floorDiv(limitLocalMs, DayMs);
    while (day <= lastDay) {
        const QDate date = QDate::fromJulianDay(UnixEpochJulianDay + day);
        if (!m_months[date.month()]) {
            const QDate next = QDate(date.year(), date.month(), 1).addMonths(1);
            day = next.toJulianDay() - UnixEpochJulianDay;
            secondOfDay = 0;
            continue;
        }
        if (dayMatches(date.day(), date.dayOfWeek() % 7)) {
            const int h0 = secondOfDay / 3600;
            const int m0 = secondOfDay / 60 % 60;
            const int s0 = secondOfDay % 60;
            for (int hour : m_hourList) {
                if (hour < h0)
                    continue;
                for (int minute : m_minuteList) {
                    if (hour == h0 && minute < m0)
                        continue;
                    for (int second : m_secondList) {
                        if (hour == h0 && minute == m0 && second < s0)
                            continue;
                        const qint64 local =
                            (day * 86'400 + hour * 3600 + minute * 60 + second) * SecondMs;
                        if (local >= limitLocalMs)
                            return std::nullopt;
                        return local;
                    }
                }
            }
        }
        ++day;
        secondOfDay = 0;
    }
    return std::nullopt;
}

std::optional<qint64> ScheduleSpec::nextFire(qint64 afterMs, const QTimeZone &zone) const
{
    if (m_intervalMs > 0)
        return (floorDiv(afterMs - m_phaseMs, m_intervalMs) + 1) * m_intervalMs + m_phaseMs;
    const qint64 horizon = afterMs + HorizonMs;
    const bool transitions = zone.hasTransitions();
    qint64 t = afterMs;
    // Each turn searches one stretch of constant offset, then the transition that ends it.
    for (int guard = 0; guard < 64 && t < horizon; ++guard) {
        const qint64 offset = offsetMsAt(zone, t + 1);
        qint64 segmentEnd = horizon;
        qint64 nextOffset = offset;
        qint64 repeatedUntilLocal = std::numeric_limits<qint64>::min();
        if (transitions) {
            const auto next =
                zone.nextTransition(QDateTime::fromMSecsSinceEpoch(t + 1, QTimeZone::utc()));
            if (next.atUtc.isValid() && next.atUtc.toMSecsSinceEpoch() < horizon) {
                segmentEnd = next.atUtc.toMSecsSinceEpoch();
                nextOffset = qint64(next.offsetFromUtc) * 1000;
            }
            if (m_fixedTime) {
                // After a fall-back, wall-clock times that already passed once do not fire again.
                const auto previous = zone.previousTransition(
                    QDateTime::fromMSecsSinceEpoch(t + 2, QTimeZone::utc()));
                if (previous.atUtc.isValid()) {
                    const qint64 at = previous.atUtc.toMSecsSinceEpoch();
                    const qint64 before = offsetMsAt(zone, at - 1);
                    if (before > offset)
                        repeatedUntilLocal = at + before;
                }
            }
        }
        const qint64 fromLocal = repeatedUntilLocal == std::numeric_limits<qint64>::min()
                                     ? t + offset
                                     : qMax(t + offset, repeatedUntilLocal - 1);
        if (const auto local = nextLocalMatch(fromLocal, segmentEnd + offset))
            return *local - offset;
        if (segmentEnd >= horizon)
            return std::nullopt;
        // Spring-forward: a fixed time inside the gap fires once, when the gap ends.
        if (m_fixedTime && nextOffset > offset &&
            nextLocalMatch(segmentEnd + offset - 1, segmentEnd + nextOffset))
            return segmentEnd;
        t = segmentEnd - 1;
    }
    return std::nullopt;
}

QString ScheduleSpec::describeTime() const
{
    const auto single = [](const std::vector<int> &list) { return list.size() == 1; };
    const QString &secondText = m_fieldTexts.value(0);
    const QString &minuteText = m_fieldTexts.value(1);
    const QString &hourText = m_fieldTexts.value(2);
    if (single(m_secondList) && single(m_minuteList)) {
        const int s = m_secondList.front();
        const int m = m_minuteList.front();
        const QString secondPart =
            s ? QStringLiteral(":%1").arg(s, 2, 10, QLatin1Char('0')) : QString();
        if (single(m_hourList))
            return QStringLiteral("At %1:%2%3")
                .arg(m_hourList.front(), 2, 10, QLatin1Char('0'))
                .arg(m, 2, 10, QLatin1Char('0'))
                .arg(secondPart);
        const QString minute =
            QStringLiteral(":%1%2").arg(m, 2, 10, QLatin1Char('0')).arg(secondPart);
        if (hourText == u"*")
            return QStringLiteral("Every hour at %1").arg(minute);
        if (hourText.startsWith(u"*/"))
            return QStringLiteral("Every %1 hours at %2").arg(hourText.mid(2), minute);
        return QStringLiteral("At %1 past hours %2").arg(minute, listOf(m_hourList));
    }
    QString what;
    if (single(m_secondList) && m_secondList.front() == 0) {
        if (minuteText == u"*")
            what = QStringLiteral("Every minute");
        else if (minuteText.startsWith(u"*/"))
            what = QStringLiteral("Every %1 minutes").arg(minuteText.mid(2));
        else
            what = QStringLiteral("At minutes %1").arg(listOf(m_minuteList));
    } else if (secondText == u"*" && minuteText == u"*") {
        what = QStringLiteral("Every second");
    } else if (secondText.startsWith(u"*/") && minuteText == u"*") {
        what = QStringLiteral("Every %1 seconds").arg(secondText.mid(2));
    } else {
        what = QStringLiteral("At seconds %1 of minutes %2")
                   .arg(listOf(m_secondList), listOf(m_minuteList));
    }
    if (hourText == u"*")
        return what;
    return QStringLiteral("%1 during hours %2").arg(what, listOf(m_hourList));
}

QString ScheduleSpec::describeDays() const
{
    static const char *const weekdays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                           "Thursday", "Friday", "Saturday"};
    static const char *const months[] = {"",        "January",  "February", "March",  "April",
                                         "May",     "June",     "July",     "August", "September",
                                         "October", "November", "December"};
    QStringList days;
    if (!m_dayOfWeekStar) {
        QStringList names;
        for (int d : {1, 2, 3, 4, 5, 6, 0}) {
            if (m_daysOfWeek[d])
                names.append(QLatin1String(weekdays[d]));
        }
        if (names.size() == 5 && !m_daysOfWeek[0] && !m_daysOfWeek[6])
            days.append(QStringLiteral("on weekdays"));
        else
            days.append(QStringLiteral("on ") + names.join(QStringLiteral(", ")));
    }
    if (!m_dayOfMonthStar) {
        std::vector<int> list;
        for (int d = 1; d <= 31; ++d) {
            if (m_daysOfMonth[d])
                list.push_back(d);
        }
        days.append((list.size() == 1 ? QStringLiteral("on day %1 of the month")
                                      : QStringLiteral("on days %1 of the month"))
                        .arg(listOf(list)));
    }
    QString out = days.isEmpty() ? QStringLiteral("every day") : days.join(QStringLiteral(" or "));
    if (m_months.count() < 12) {
        QStringList names;
        for (int m = 1; m <= 12; ++m) {
            if (m_months[m])
                names.append(QLatin1String(months[m]));
        }
        out += QStringLiteral(" in ") + names.join(QStringLiteral(", "));
    }
    return out;
}

QString ScheduleSpec::describe(const QTimeZone &zone) const
{
    if (m_intervalMs > 0) {
        QString out = QStringLiteral("Every ") + durationText(m_intervalMs);
        if (m_phaseMs > 0)
            out += QStringLiteral(" (phase ") + durationText(m_phaseMs) + u')';
        return out;
    }
    const QString zoneName = QString::fromUtf8(zone.id());
    const bool everyDayAllTime =
        m_dayOfMonthStar && m_dayOfWeekStar && m_months.count() == 12 &&
        !(m_hourList.size() == 1 && m_minuteList.size() == 1 && m_secondList.size() == 1);
    QString out = describeTime();
    if (!everyDayAllTime)
        out += u' ' + describeDays();
    return out + QStringLiteral(", ") + (zoneName.isEmpty() ? QStringLiteral("UTC") : zoneName);
}

} // namespace QueueDeck
