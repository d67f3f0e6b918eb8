// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

class QWidget;

namespace QueueDeck::Ui::AccessibleNames {

// "&Max workers:" → "Max workers": a label's text as the name of what it labels.
QString fromLabel(const QString &labelText);

// Every control under `root` that a label names — the label of its form row (also when the
// field is a box holding the control and its error line) or a label whose buddy it is — takes
// that label's text as its accessible name, unless it has one. Screen readers on every platform
// then say it, whatever the layout. Call at the end of a dialog's constructor.
void nameFromLabels(QWidget *root);

} // namespace QueueDeck::Ui::AccessibleNames
