// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace QueueDeck::Ui {

// The dashboard's guide for a first run and for an empty server: what a queue is, the three
// steps from a card to a running worker, where a machine gets `qdeck`, and "Try It on This
// Computer" (a demo worker here, DemoWorker). The window decides when it shows and keeps the
// dismissal.
class FirstRunGuide final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FirstRunGuide)
public:
    explicit FirstRunGuide(QWidget *parent = nullptr);

    // No queue at all: the first step is New Queue.
    void setEmpty(bool empty);
    // Try It: offered, or disabled with the reason in its tooltip.
    void setTryAvailable(bool available, const QString &reason = {});
    // What the demo does now; an error in the warning colour.
    void setDemoStatus(const QString &text, bool error);
    QString demoStatus() const;
    QPushButton *tryButton() const { return m_try; }
    QPushButton *dismissButton() const { return m_dismiss; }

Q_SIGNALS:
    void tryRequested();
    void dismissed();

private:
    QLabel *m_empty;
    QLabel *m_status;
    QPushButton *m_try;
    QPushButton *m_dismiss;
};

} // namespace QueueDeck::Ui
