// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

namespace QueueDeck::Ui {

// A small line of values with no axes (a card's depth over the last minutes), scaled to its
// own highest value, drawn in the palette's highlight colour.
class Sparkline final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Sparkline)
public:
    explicit Sparkline(QWidget *parent = nullptr);

    void setValues(const QList<double> &values);
    const QList<double> &values() const { return m_values; }
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<double> m_values;
};

} // namespace QueueDeck::Ui
