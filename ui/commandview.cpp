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

QSize CommandView::minimumSizeHint() const
{
    return {fontMetrics().horizontalAdvance(QLatin1Char('x')) * 12, height()};
}

void CommandView::resizeEvent(QResizeEvent *event)
{
    QTextEdit::resizeEvent(event);
    // Not from within this resize: the scroll area would keep the viewport of the old height.
    QMetaObject::invokeMethod(this, &CommandView::fitHeight, Qt::QueuedConnection);
}

void CommandView::fitHeight()
{
    // The text laid out at the viewport's width, apart from the shown document (whose layout may
    // still be pending): the height of its wrapped lines.
    const int frame = 2 * frameWidth();
    QTextDocument layout;
    layout.setDefaultFont(font());
    layout.setDefaultTextOption(document()->defaultTextOption());
    layout.setDocumentMargin(document()->documentMargin());
    layout.setPlainText(toPlainText());
    layout.setTextWidth(qMax(1, width() - frame));
    const int height = qCeil(layout.size().height()) + frame;
    if (height != this->height())
        setFixedHeight(height);
}

} // namespace QueueDeck::Ui
