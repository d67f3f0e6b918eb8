// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "commandview.h"

#include <QFontDatabase>
#include <QTextDocument>

namespace QueueDeck::Ui {

CommandView::CommandView(QWidget *parent) : QTextEdit(parent)
{
    setReadOnly(true);
    setAcceptRichText(false);
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setLineWrapMode(QTextEdit::WidgetWidth);
    setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    // Tab moves on to the next control instead of being typed.
    setTabChangesFocus(true);
    document()->setDocumentMargin(3);
    fitHeight();
}

void CommandView::setCommand(const QString &command)
{
    if (command == toPlainText())
        return;
    setPlainText(command);
    fitHeight();
}

int CommandView::heightForWidth(int width) const
{
    const int frame = 2 * frameWidth();
    QTextDocument *layout = document()->clone();
    layout->setTextWidth(qMax(1, width - frame));
    const int height = qCeil(layout->size().height()) + frame;
    delete layout;
    return height;
}

QSize CommandView::sizeHint() const
{
    return {QTextEdit::sizeHint().width(), heightForWidth(qMax(width(), 200))};
}

QSize CommandView::minimumSizeHint() const
{
    return {fontMetrics().horizontalAdvance(QLatin1Char('x')) * 12, sizeHint().height()};
}

void CommandView::resizeEvent(QResizeEvent *event)
{
    QTextEdit::resizeEvent(event);
    fitHeight();
}

void CommandView::fitHeight()
{
    // The document is laid out at the viewport's width: its height is that of the wrapped lines.
    const int frame = 2 * frameWidth();
    const int height = qCeil(document()->size().height()) + frame;
    if (height != this->height())
        setFixedHeight(height);
}

} // namespace QueueDeck::Ui
