// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"

#include <QString>
#include <QTimeZone>

#include <bitset>
#include <optional>
#include <vector>

namespace QueueDeck {

// When a schedule fires (docs/schedules.md): a cron expression of 5 fields (minute hour
// day-of-month month day-of-week) or 6 (seconds first), a macro (@yearly @annually @monthly
// @weekly @daily @midnight @hourly), or a fixed interval ("every 15m", "every 1h30m phase 5m").
//
// Cron fields take *, ?, numbers, names (JAN-DEC, SUN-SAT), ranges a-b, steps */n a-b/n a/n and
// comma lists; day-of-week 7 is Sunday too. When both day fields are restricted a day matches
// either (as Vixie cron has it). Cron times are wall-clock times in a time zone; intervals count
// from the Unix epoch (plus the phase) in absolute time, whatever the zone.
//
// Daylight saving, as cronie does it: a job at a fixed time (second, minute and hour fields
// without *) whose time is skipped by a spring-forward fires once at the first instant after the
// gap; one whose time repeats on a fall-back fires once, at the first occurrence. A job with *
// in its second, minute or hour field follows real time: skipped times do not fire, repeated
// ones fire in both passes.
//
// A value type: immutable once parsed, safe to copy and to use from any thread.
class ScheduleSpec final
{
public:
    // Parses a spec. The error is INVALID_ARGUMENT and names the field and the part that is
    // wrong ("field 2 (hour): 25 is out of range 0-23"); details carry field, field_name and
    // part for a form to point at.
    static Result<ScheduleSpec> parse(const QString &text);

    // The first fire strictly after afterMs (ms since the epoch), or nothing when it never fires
    // again within ten years.
    std::optional<qint64> nextFire(qint64 afterMs, const QTimeZone &zone) const;
    // In English, e.g. "At 02:00 every day, Europe/Berlin" or "Every 15 min".
    QString describe(const QTimeZone &zone) const;
    const QString &text() const { return m_text; }
    bool isInterval() const { return m_intervalMs > 0; }

private:
    ScheduleSpec() = default;
    static Result<ScheduleSpec> parseInterval(const QString &text, const QString &rest);
    static Result<ScheduleSpec> parseCron(const QString &text, const QString &expression);
    // The first wall-clock time (as ms of a UTC-like local calendar) after fromLocalMs and before
    // limitLocalMs that matches the cron fields.
    std::optional<qint64> nextLocalMatch(qint64 fromLocalMs, qint64 limitLocalMs) const;
    bool dayMatches(int dayOfMonth, int dayOfWeek) const;
    QString describeTime() const;
    QString describeDays() const;

    QString m_text;
    qint64 m_intervalMs = 0;
    qint64 m_phaseMs = 0;

    std::bitset<60> m_seconds;
    std::bitset<60> m_minutes;
    std::bitset<24> m_hours;
    std::bitset<32> m_daysOfMonth; // 1..31
    std::bitset<13> m_months;      // 1..12
    std::bitset<7> m_daysOfWeek;   // 0 = Sunday
    bool m_dayOfMonthStar = true;
    bool m_dayOfWeekStar = true;
    bool m_fixedTime = true; // no * in the second, minute and hour fields
    std::vector<int> m_secondList, m_minuteList, m_hourList;
    QStringList m_fieldTexts; // second, minute, hour, day-of-month, month, day-of-week
};

} // namespace QueueDeck
