// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QPointer>

class QMainWindow;
class QTabWidget;

namespace QueueDeck::Ui {

class ChartsView;
class DashboardController;

// What the window looked like when it was closed, kept in QSettings under "window/": its size
// and position, every named splitter, the tab in front, the queue and range the charts show.
// Lives on the GUI thread; owned by the window it keeps.
class WindowState final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WindowState)
public:
    explicit WindowState(QMainWindow *window);

    // The size and position; false when nothing was kept (the window keeps its default size).
    bool restoreGeometry();
    // The views of a connection, just built: the tab, the splitters and the charts' range come
    // back at once; the charts' queue with the first snapshot, which brings the queues to choose
    // from (connect after the window's own handler of snapshotArrived).
    void restoreViews(QTabWidget *tabs, ChartsView *charts, DashboardController *controller);
    void save() const;

private:
    void applyPendingScope();

    QMainWindow *m_window;
    QPointer<QTabWidget> m_tabs;
    QPointer<ChartsView> m_charts;
    QString m_pendingScope;
};

} // namespace QueueDeck::Ui
