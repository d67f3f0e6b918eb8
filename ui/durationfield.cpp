// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "durationfield.h"

#include "durationformat.h"

namespace QueueDeck::Ui {

DurationField::DurationField(qint64 bareUnitMs, QWidget *parent)
    : QLineEdit(parent), m_bareUnitMs(bareUnitMs)
{
    setPlaceholderText(tr("e.g. 90s, 5 min, 1h 30m, 7 days"));
    setText(textFor(0));
    connect(this, &QLineEdit::editingFinished, this, &DurationField::handleEditingFinished);
}

qint64 DurationField::value() const
{
    const QString typed = text().trimmed();
    if (!isValid() || typed == textFor(m_valueMs).trimmed())
        return m_valueMs;
    if (!m_zeroText.isEmpty() && typed.compare(m_zeroText, Qt::CaseInsensitive) == 0)
        return 0;
    return *DurationFormat::parse(typed, m_bareUnitMs);
}

void DurationField::setRange(qint64 minimumMs, qint64 maximumMs)
{
    m_minimumMs = minimumMs;
    m_maximumMs = qMax(minimumMs, maximumMs);
    setValue(qBound(m_minimumMs, m_valueMs, m_maximumMs));
}

void DurationField::setZeroText(const QString &text)
{
    m_zeroText = text;
    if (m_valueMs == 0)
        setText(textFor(0));
}

void DurationField::setValue(qint64 ms)
{
    const qint64 bounded = qBound(m_minimumMs, ms, m_maximumMs);
    setText(textFor(bounded));
    if (bounded != m_valueMs) {
        m_valueMs = bounded;
        Q_EMIT valueChanged(m_valueMs);
    }
}

QString DurationField::errorText() const
{
    const QString typed = text().trimmed();
    if (typed == textFor(m_valueMs).trimmed())
        return {}; // as printed, even where the printed form does not read back (no translation)
    if (!m_zeroText.isEmpty() && typed.compare(m_zeroText, Qt::CaseInsensitive) == 0)
        return m_minimumMs == 0 ? QString()
                                : tr("At least %1.").arg(DurationFormat::format(m_minimumMs));
    const auto parsed = DurationFormat::parse(typed, m_bareUnitMs);
    if (!parsed)
        return parsed.error().message;
    if (*parsed < m_minimumMs)
        return tr("At least %1.").arg(DurationFormat::format(m_minimumMs));
    if (*parsed > m_maximumMs)
        return tr("At most %1.").arg(DurationFormat::format(m_maximumMs));
    return {};
}

void DurationField::handleEditingFinished()
{
    if (!isValid())
        return; // kept as typed; the dialog shows errorText()
    const QString typed = text().trimmed();
    const bool zeroWord =
        !m_zeroText.isEmpty() && typed.compare(m_zeroText, Qt::CaseInsensitive) == 0;
    setValue(zeroWord ? 0 : *DurationFormat::parse(typed, m_bareUnitMs));
    setText(textFor(m_valueMs)); // printed as a person reads it, even when the value is the same
}

QString DurationField::textFor(qint64 ms) const
{
    return ms == 0 && !m_zeroText.isEmpty() ? m_zeroText : DurationFormat::format(ms);
}

} // namespace QueueDeck::Ui
