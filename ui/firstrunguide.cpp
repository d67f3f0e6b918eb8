// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "firstrunguide.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace QueueDeck::Ui {

FirstRunGuide::FirstRunGuide(QWidget *parent)
    : QFrame(parent), m_empty(new QLabel(this)), m_status(new QLabel(this)),
      m_try(new QPushButton(this)), m_dismiss(new QPushButton(this))
{
    setObjectName(QStringLiteral("firstRunGuide"));
    setFrameShape(QFrame::StyledPanel);
    setBackgroundRole(QPalette::AlternateBase);
    setAutoFillBackground(true);
    setAccessibleName(tr("Getting started"));

    auto *title = new QLabel(tr("Getting started"), this);
    QFont bold = title->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    title->setFont(bold);
    auto *what = new QLabel(tr("A queue is a lane of work: programs put tasks in, and workers on "
                               "any machine take them out and run them, each task with your "
                               "program."),
                            this);
    what->setWordWrap(true);
    m_empty->setText(tr("There is no queue here yet: make one with New Queue… (%1).")
                         .arg(QKeySequence(QKeySequence::New).toString(QKeySequence::NativeText)));
    m_empty->setWordWrap(true);
    m_empty->setVisible(false);
    auto *steps = new QLabel(
        tr("<ol style=\"margin-left: 0\"><li><b>Copy</b> the connect command from a queue's "
           "card.</li><li><b>Run it</b> on the machine that should do the work, with your "
           "program in place of <code>./handle-task</code>.</li><li><b>Watch it attach:</b> the "
           "card says 1 / 10 workers and Active, and the tasks run.</li></ol>"),
        this);
    steps->setTextFormat(Qt::RichText);
    steps->setWordWrap(true);
    auto *where = new QLabel(tr("That machine needs the <code>qdeck</code> program: install the "
                                "qdeck package there (<code>apt install ./qdeck_*.deb</code>), "
                                "or choose Docker or Kubernetes on the card for a script that "
                                "runs the worker image."),
                             this);
    where->setTextFormat(Qt::RichText);
    where->setWordWrap(true);
    m_status->setObjectName(QStringLiteral("demoStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setVisible(false);

    m_try->setObjectName(QStringLiteral("tryDemo"));
    m_try->setText(tr("&Try It on This Computer"));
    m_try->setToolTip(tr("Starts a worker here with an example handler and sends it a few demo "
                         "tasks; it stops when this window closes."));
    m_dismiss->setObjectName(QStringLiteral("dismissGuide"));
    m_dismiss->setText(tr("&Dismiss"));
    m_dismiss->setAccessibleName(tr("Dismiss the getting started guide"));
    connect(m_try, &QPushButton::clicked, this, &FirstRunGuide::tryRequested);
    connect(m_dismiss, &QPushButton::clicked, this, &FirstRunGuide::dismissed);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_try);
    buttons->addStretch(1);
    buttons->addWidget(m_dismiss);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(what);
    layout->addWidget(m_empty);
    layout->addWidget(steps);
    layout->addWidget(where);
    layout->addWidget(m_status);
    layout->addLayout(buttons);
}

void FirstRunGuide::setEmpty(bool empty)
{
    m_empty->setVisible(empty);
}

void FirstRunGuide::setTryAvailable(bool available, const QString &reason)
{
    m_try->setEnabled(available);
    m_try->setToolTip(available ? tr("Starts a worker here with an example handler and sends it "
                                     "a few demo tasks; it stops when this window closes.")
                                : reason);
}

void FirstRunGuide::setDemoStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
    const QString style = error ? QStringLiteral("color: #d64545; font-weight: bold") : QString();
    if (m_status->styleSheet() != style)
        m_status->setStyleSheet(style);
}

QString FirstRunGuide::demoStatus() const
{
    return m_status->text();
}

} // namespace QueueDeck::Ui
