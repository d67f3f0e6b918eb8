// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "durationformat.h"

#include <QLocale>
#include <QRegularExpression>

#include <cmath>

namespace QueueDeck::Ui {

namespace {

constexpr qint64 Second = 1000;
constexpr qint64 Minute = 60 * Second;
constexpr qint64 Hour = 60 * Minute;
constexpr qint64 Day = 24 * Hour;

// The unit a typed word names, in ms; 0 when it names none. English and German words.
qint64 unitOf(const QString &word)
{
    static const QList<std::pair<QStringList, qint64>> units{
        {{QStringLiteral("ms"), QStringLiteral("msec"), QStringLiteral("millisecond"),
          QStringLiteral("milliseconds"), QStringLiteral("millisekunde"),
          QStringLiteral("millisekunden")},
         1},
        {{QStringLiteral("s"), QStringLiteral("sec"), QStringLiteral("secs"),
          QStringLiteral("second"), QStringLiteral("seconds"), QStringLiteral("sek"),
          QStringLiteral("sekunde"), QStringLiteral("sekunden")},
         Second},
        {{QStringLiteral("m"), QStringLiteral("min"), QStringLiteral("mins"),
          QStringLiteral("minute"), QStringLiteral("minutes"), QStringLiteral("minuten")},
         Minute},
        {{QStringLiteral("h"), QStringLiteral("hr"), QStringLiteral("hrs"), QStringLiteral("hour"),
          QStringLiteral("hours"), QStringLiteral("std"), QStringLiteral("stunde"),
          QStringLiteral("stunden")},
         Hour},
        {{QStringLiteral("d"), QStringLiteral("day"), QStringLiteral("days"), QStringLiteral("t"),
          QStringLiteral("tag"), QStringLiteral("tage"), QStringLiteral("tagen")},
         Day},
    };
    const QString lower = word.toLower();
    for (const auto &[names, ms] : units) {
        if (names.contains(lower))
            return ms;
    }
    return 0;
}

} // namespace

QString DurationFormat::format(qint64 ms)
{
    const QLocale locale;
    if (ms < 0)
        return u'−' + format(-ms);
    if (ms < Second)
        return tr("%1 ms").arg(locale.toString(ms));
    if (ms < Minute) {
        const double seconds = double(ms) / Second;
        // One decimal below ten seconds, and where the tenth is not zero.
        const int tenths = int(std::lround(seconds * 10));
        if (tenths % 10 == 0 || seconds >= 59.95)
            return tr("%1 s").arg(locale.toString(qint64(std::lround(seconds))));
        return tr("%1 s").arg(locale.toString(tenths / 10.0, 'f', 1));
    }
    // Rounded to the smaller of the two units shown, then split: 59 min 59.8 s is "1 h".
    const auto rounded = [](qint64 value, qint64 unit) {
        return qint64(std::llround(double(value) / double(unit))) * unit;
    };
    qint64 value = rounded(ms, Second);
    if (value >= Hour)
        value = rounded(ms, Minute);
    if (value >= Day)
        value = rounded(ms, Hour);
    const auto two = [](qint64 whole, qint64 big, qint64 small, auto bigText, auto smallText) {
        const qint64 rest = (whole % big) / small;
        return rest == 0 ? bigText(whole / big) : bigText(whole / big) + u' ' + smallText(rest);
    };
    if (value < Hour)
        return two(
            value, Minute, Second, [&](qint64 n) { return tr("%1 min").arg(locale.toString(n)); },
            [&](qint64 n) { return tr("%1 s").arg(locale.toString(n)); });
    if (value < Day)
        return two(
            value, Hour, Minute, [&](qint64 n) { return tr("%1 h").arg(locale.toString(n)); },
            [&](qint64 n) { return tr("%1 min").arg(locale.toString(n)); });
    return two(
        value, Day, Hour, [&](qint64 n) { return tr("%n day(s)", nullptr, int(n)); },
        [&](qint64 n) { return tr("%1 h").arg(locale.toString(n)); });
}

Result<qint64> DurationFormat::parse(const QString &text, qint64 bareUnitMs)
{
    const QString trimmed = text.trimmed();
    const auto refused = [&text] {
        return std::unexpected(
            Error{ErrorCode::InvalidArgument,
                  tr("\"%1\" is not a duration; type e.g. 90s, 5 min, 1h 30m or 7 days").arg(text),
                  {}});
    };
    if (trimmed.isEmpty())
        return refused();
    // Numbers with their units, one after the other: "1h 30m", "1.5 h", "2 days 3 h".
    static const QRegularExpression part(
        QStringLiteral(R"(\G\s*(\d+(?:[.,]\d+)?)\s*([^\d\s.,]*)\s*)"));
    double total = 0;
    qsizetype at = 0;
    int parts = 0;
    bool bare = false;
    while (at < trimmed.size()) {
        const QRegularExpressionMatch match = part.match(trimmed, at);
        if (!match.hasMatch() || match.capturedLength() == 0)
            return refused();
        bool ok = false;
        const double number = QString(match.captured(1)).replace(u',', u'.').toDouble(&ok);
        if (!ok)
            return refused();
        const QString word = match.captured(2);
        qint64 unit = bareUnitMs;
        if (word.isEmpty()) {
            bare = true;
        } else if ((unit = unitOf(word)) == 0) {
            return refused();
        }
        total += number * double(unit);
        at = match.capturedEnd();
        ++parts;
    }
    if (bare && parts > 1) // "1 30": which unit is which?
        return refused();
    if (total > 9.0e15)
        return refused();
    return qint64(std::llround(total));
}

} // namespace QueueDeck::Ui
