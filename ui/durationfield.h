// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QLineEdit>

#include <limits>

namespace QueueDeck::Ui {

// A field for a duration, typed either way ("90s", "1h 30m", "7 days", or a bare number in the
// field's unit) and shown as a person reads it ("1 min 30 s") once editing is finished. Values
// are in milliseconds and stay within [minimum, maximum]; a zero may be shown as a word
// ("never", "unlimited"). Text that is no duration, or out of range, stays as typed and
// errorText() says what to change.
class DurationField final : public QLineEdit
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DurationField)
public:
    // bareUnitMs: what a bare number counts in (1000: seconds).
    explicit DurationField(qint64 bareUnitMs = 1000, QWidget *parent = nullptr);

    void setRange(qint64 minimumMs, qint64 maximumMs);
    qint64 minimum() const { return m_minimumMs; }
    qint64 maximum() const { return m_maximumMs; }
    // The word shown for zero (it is also accepted when typed); empty: "0 ms" and so on.
    void setZeroText(const QString &text);

    // The value the text says, or the last valid one while it is not a valid duration.
    qint64 value() const;
    void setValue(qint64 ms);
    bool isValid() const { return errorText().isEmpty(); }
    // Empty when the text is a duration within range; else what to change.
    QString errorText() const;

Q_SIGNALS:
    void valueChanged(qint64 ms);

private:
    void handleEditingFinished();
    QString textFor(qint64 ms) const;

    qint64 m_bareUnitMs;
    qint64 m_minimumMs = 0;
    qint64 m_maximumMs = std::numeric_limits<qint64>::max() / 4;
    qint64 m_valueMs = 0;
    QString m_zeroText;
};

} // namespace QueueDeck::Ui
