// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QTextEdit>

namespace QueueDeck::Ui {

// A command to read and copy whole: monospace, wrapped wherever a line must break (a token or
// a path has no spaces to break at), selectable with mouse and keyboard, never edited; as tall as
// its wrapped lines, so nothing is cut at the edge and nothing scrolls.
class CommandView final : public QTextEdit
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CommandView)
public:
    explicit CommandView(QWidget *parent = nullptr);

    void setCommand(const QString &command);
    QString command() const { return toPlainText(); }

    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void fitHeight();
};

} // namespace QueueDeck::Ui
