// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "focusstyle.h"

#include <QAbstractScrollArea>
#include <QApplication>
#include <QEvent>
#include <QPainter>
#include <QStyleFactory>
#include <QStyleOption>

namespace QueueDeck::Ui {

FocusStyle::FocusStyle(QStyle *base) : QProxyStyle(base) {}

void FocusStyle::install()
{
    if (qobject_cast<FocusStyle *>(QApplication::style()))
        return;
    // A fresh copy of the current style: the proxy owns its base.
    QApplication::setStyle(new FocusStyle(QStyleFactory::create(QApplication::style()->name())));
}

void FocusStyle::drawPrimitive(PrimitiveElement element, const QStyleOption *option,
                               QPainter *painter, const QWidget *widget) const
{
    QProxyStyle::drawPrimitive(element, option, painter, widget);
    // The frame of a scroll area (item views, text panes) with the keyboard in it.
    if (element != PE_Frame || !qobject_cast<const QAbstractScrollArea *>(widget))
        return;
    const bool focused =
        (option->state & State_HasFocus) && (option->state & State_KeyboardFocusChange);
    if (!focused)
        return;
    painter->save();
    QPen pen(option->palette.color(QPalette::Highlight), 2);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    painter->drawRect(QRectF(option->rect).adjusted(1, 1, -1, -1));
    painter->restore();
}

void FocusStyle::polish(QWidget *widget)
{
    QProxyStyle::polish(widget);
    if (qobject_cast<QAbstractScrollArea *>(widget))
        widget->installEventFilter(this);
}

void FocusStyle::unpolish(QWidget *widget)
{
    if (qobject_cast<QAbstractScrollArea *>(widget))
        widget->removeEventFilter(this);
    QProxyStyle::unpolish(widget);
}

bool FocusStyle::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::FocusIn || event->type() == QEvent::FocusOut)
        static_cast<QWidget *>(watched)->update();
    return QProxyStyle::eventFilter(watched, event);
}

} // namespace QueueDeck::Ui
