// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QProxyStyle>

namespace QueueDeck::Ui {

// The platform's style, plus a focus ring where it draws none: lists, tables, trees and text
// panes show a frame in the highlight colour while the keyboard is on them (light and dark
// palettes alike). The application installs it over whatever style it runs with.
class FocusStyle final : public QProxyStyle
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FocusStyle)
public:
    explicit FocusStyle(QStyle *base = nullptr);

    // Wraps the application's current style (once).
    static void install();

    void drawPrimitive(PrimitiveElement element, const QStyleOption *option, QPainter *painter,
                       const QWidget *widget = nullptr) const override;
    void polish(QWidget *widget) override;
    void unpolish(QWidget *widget) override;
    using QProxyStyle::polish;
    using QProxyStyle::unpolish;

protected:
    // Scroll areas draw their frame again when the keyboard comes or goes.
    bool eventFilter(QObject *watched, QEvent *event) override;
};

} // namespace QueueDeck::Ui
