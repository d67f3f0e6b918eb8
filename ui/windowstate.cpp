// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "windowstate.h"

#include "chartsview.h"
#include "dashboardcontroller.h"
#include "uilog.h"

#include <QMainWindow>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>

namespace QueueDeck::Ui {

namespace {

const QString Group = QStringLiteral("window");

QString splitterKey(const QSplitter *splitter)
{
    return QStringLiteral("splitters/") + splitter->objectName();
}

} // namespace

WindowState::WindowState(QMainWindow *window) : QObject(window), m_window(window) {}

bool WindowState::restoreGeometry()
{
    QSettings settings;
    settings.beginGroup(Group);
    const QByteArray geometry = settings.value(QStringLiteral("geometry")).toByteArray();
    return !geometry.isEmpty() && m_window->restoreGeometry(geometry);
}

void WindowState::restoreViews(QTabWidget *tabs, ChartsView *charts,
                               DashboardController *controller)
{
    m_tabs = tabs;
    m_charts = charts;
    QSettings settings;
    settings.beginGroup(Group);
    const int tab = settings.value(QStringLiteral("tab"), 0).toInt();
    if (tab >= 0 && tab < tabs->count())
        tabs->setCurrentIndex(tab);
    for (QSplitter *splitter : tabs->findChildren<QSplitter *>()) {
        if (splitter->objectName().isEmpty())
            continue;
        const QByteArray kept = settings.value(splitterKey(splitter)).toByteArray();
        if (!kept.isEmpty())
            splitter->restoreState(kept);
    }
    const int range = settings.value(QStringLiteral("chartRange"), 0).toInt();
    if (range >= int(ChartsView::Range::Live) && range <= int(ChartsView::Range::Week))
        charts->setRange(ChartsView::Range(range));
    m_pendingScope = settings.value(QStringLiteral("chartQueue")).toString();
    if (!m_pendingScope.isEmpty()) {
        connect(controller, &DashboardController::snapshotArrived, this,
                &WindowState::applyPendingScope, Qt::SingleShotConnection);
    }
}

void WindowState::applyPendingScope()
{
    if (!m_charts || m_pendingScope.isEmpty())
        return;
    // A queue gone since, or outside the environment shown: the charts stay on the whole server.
    m_charts->setScope(m_pendingScope);
    m_pendingScope.clear();
}

void WindowState::save() const
{
    QSettings settings;
    settings.beginGroup(Group);
    settings.setValue(QStringLiteral("geometry"), m_window->saveGeometry());
    if (m_tabs) {
        settings.setValue(QStringLiteral("tab"), m_tabs->currentIndex());
        for (const QSplitter *splitter : m_tabs->findChildren<QSplitter *>()) {
            if (!splitter->objectName().isEmpty())
                settings.setValue(splitterKey(splitter), splitter->saveState());
        }
    }
    if (m_charts) {
        settings.setValue(QStringLiteral("chartRange"), int(m_charts->range()));
        // A queue still waiting to be offered stays the choice.
        settings.setValue(QStringLiteral("chartQueue"),
                          m_pendingScope.isEmpty() ? m_charts->scope() : m_pendingScope);
    }
    settings.endGroup();
    settings.sync();
    if (settings.status() != QSettings::NoError)
        qCWarning(lcUi).noquote() << "the window's size, tab and charts were not kept:"
                                  << settings.fileName() << "could not be written"
                                  << (settings.status() == QSettings::AccessError
                                          ? "(access denied or no such directory)"
                                          : "(format error)");
}

} // namespace QueueDeck::Ui
