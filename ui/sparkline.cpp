// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "sparkline.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace QueueDeck::Ui {

Sparkline::Sparkline(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void Sparkline::setValues(const QList<double> &values)
{
    m_values = values;
    update();
}

QSize Sparkline::sizeHint() const
{
    return {120, fontMetrics().height() + 6};
}

void Sparkline::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF area = QRectF(rect()).adjusted(1, 2, -1, -2);
    const QColor line = palette().color(QPalette::Highlight);
    QColor fill = line;
    fill.setAlpha(50);
    painter.setPen(QPen(palette().color(QPalette::Mid), 1));
    painter.drawLine(area.bottomLeft(), area.bottomRight()); // the zero line
    if (m_values.size() < 2)
        return;
    const double top = std::max(1.0, *std::max_element(m_values.cbegin(), m_values.cend()));
    const double step = area.width() / double(m_values.size() - 1);
    QPainterPath path;
    for (qsizetype i = 0; i < m_values.size(); ++i) {
        const QPointF point(area.left() + step * double(i),
                            area.bottom() - area.height() * (m_values[i] / top));
        if (i == 0)
            path.moveTo(point);
        else
            path.lineTo(point);
    }
    QPainterPath under = path;
    under.lineTo(area.bottomRight());
    under.lineTo(area.bottomLeft());
    under.closeSubpath();
    painter.fillPath(under, fill);
    painter.setPen(QPen(line, 1.5));
    painter.drawPath(path);
}

} // namespace QueueDeck::Ui
