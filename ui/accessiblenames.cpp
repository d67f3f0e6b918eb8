// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "accessiblenames.h"

#include <QAbstractButton>
#include <QFormLayout>
#include <QLabel>
#include <QTextDocument>
#include <QWidget>

namespace QueueDeck::Ui::AccessibleNames {

namespace {

bool isLabel(const QWidget *widget)
{
    return qobject_cast<const QLabel *>(widget) != nullptr;
}

// The field itself, or the first unnamed control in the box that holds it.
QWidget *controlIn(QWidget *field)
{
    if (field->focusPolicy() != Qt::NoFocus || qobject_cast<QAbstractButton *>(field))
        return field;
    for (QWidget *child : field->findChildren<QWidget *>()) {
        if (!isLabel(child) && child->focusPolicy() != Qt::NoFocus &&
            !child->objectName().startsWith(u"qt_"))
            return child;
    }
    return nullptr;
}

void name(QWidget *control, const QString &labelText)
{
    const QString text = fromLabel(labelText);
    if (control && control->accessibleName().isEmpty() && !text.isEmpty())
        control->setAccessibleName(text);
}

} // namespace

QString fromLabel(const QString &labelText)
{
    QString text = labelText;
    if (Qt::mightBeRichText(text)) {
        QTextDocument document;
        document.setHtml(text);
        text = document.toPlainText();
    }
    text.replace(QStringLiteral("&&"), QStringLiteral("\x01"));
    text.remove(u'&');
    text.replace(u'\x01', u'&');
    text = text.trimmed();
    if (text.endsWith(u':'))
        text.chop(1);
    return text.trimmed();
}

void nameFromLabels(QWidget *root)
{
    for (QFormLayout *form : root->findChildren<QFormLayout *>()) {
        for (int row = 0; row < form->rowCount(); ++row) {
            QLayoutItem *label = form->itemAt(row, QFormLayout::LabelRole);
            QLayoutItem *field = form->itemAt(row, QFormLayout::FieldRole);
            const auto *labelWidget = label ? qobject_cast<QLabel *>(label->widget()) : nullptr;
            if (labelWidget && field && field->widget())
                name(controlIn(field->widget()), labelWidget->text());
        }
    }
    for (QLabel *label : root->findChildren<QLabel *>()) {
        if (label->buddy())
            name(label->buddy(), label->text());
    }
}

} // namespace QueueDeck::Ui::AccessibleNames
