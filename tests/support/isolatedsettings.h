// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// The desktop app's settings in a directory of this test run: nothing read from, or left in, the
// user's configuration or another run's.

#include <QCoreApplication>
#include <QSettings>
#include <QTemporaryDir>

namespace QueueDeck::Testing {

class IsolatedSettings final
{
public:
    // Once, in initTestCase, before the first QSettings is made.
    [[nodiscard]] bool apply() const
    {
        if (!m_dir.isValid())
            return false;
        // Named as the app names itself: without an organization QSettings reports every access
        // as an error, and the window logs that its state was not kept.
        if (QCoreApplication::organizationName().isEmpty())
            QCoreApplication::setOrganizationName(QStringLiteral("QueueDeck-test"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
        return true;
    }
    QString path() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
};

} // namespace QueueDeck::Testing
