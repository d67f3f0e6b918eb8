// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "embeddedserver.h"

#include <QGroupBox>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace QueueDeck::Ui {

// The Network dialog's part for the Faktory listener: on or off and its port; while it listens,
// its address and its password (hidden until shown) with a button that rotates it. Faktory
// clients put the password in their URL (docs/faktory.md).
class FaktorySection final : public QGroupBox
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FaktorySection)
public:
    FaktorySection(EmbeddedServer *server, const NetworkSettings &current,
                   QWidget *parent = nullptr);

    // Writes the section's choices into settings.
    void apply(NetworkSettings &settings) const;

private:
    void showPassword(const Result<QString> &password);

    EmbeddedServer *m_server;
    QCheckBox *m_enabled;
    QSpinBox *m_port;
    QLabel *m_url;
    QLineEdit *m_password;
    QPushButton *m_show;
    QPushButton *m_rotate;
    QLabel *m_error;
};

} // namespace QueueDeck::Ui
